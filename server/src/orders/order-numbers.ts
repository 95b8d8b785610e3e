import type { Connection } from 'mongoose';

/** Orders are numbered `DK-000123`: short enough to read out on the phone, and increasing. */
export const ORDER_NUMBER_PREFIX = 'DK';
const DIGITS = 6;
const COUNTER_ID = 'orderNumber';

interface CounterDocument {
  _id: string;
  value: number;
}

export function formatOrderNumber(sequence: number): string {
  return `${ORDER_NUMBER_PREFIX}-${String(sequence).padStart(DIGITS, '0')}`;
}

/**
 * Allocates order numbers from one `counters` document with an atomic `$inc` (findOneAndUpdate
 * with upsert), so two orders never get the same number and no read-then-write race exists.
 * `_id` equality is the one lookup FerretDB 1.24 serves from an index, so the allocation is a
 * single indexed write; its cost is measured in server/test/mail-order-numbers.e2e-spec.ts.
 */
export class OrderNumbers {
  constructor(private readonly connection: Connection) {}

  async next(): Promise<string> {
    return formatOrderNumber(await this.reserve(1));
  }

  /** Takes `count` consecutive numbers in one write (seed:history numbers its orders so); returns the first. */
  async reserve(count: number): Promise<number> {
    const counter = await this.connection
      .collection<CounterDocument>('counters')
      .findOneAndUpdate(
        { _id: COUNTER_ID },
        { $inc: { value: count } },
        { upsert: true, returnDocument: 'after' },
      );
    if (!counter) throw new Error('order number counter could not be allocated');
    return counter.value - count + 1;
  }
}

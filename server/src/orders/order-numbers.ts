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
 * The fewest numbers a process takes from the counter at a time: at most one counter write per
 * this many orders, and fewer in a burst (a refill takes a number for every order waiting).
 */
export const ORDER_NUMBER_BLOCK = 20;

/**
 * Allocates order numbers from one `counters` document with an atomic `$inc` (findOneAndUpdate
 * with upsert), so two orders never get the same number and no read-then-write race exists.
 * Each process takes a block of ORDER_NUMBER_BLOCK numbers in one write and hands them out in
 * order, so placing an order usually costs no counter write at all. Numbers stay unique and
 * increase within each instance; a stopped process leaves the rest of its block unused (a gap),
 * and instances of a cluster number from their own blocks side by side. Measured in
 * server/test/mail-order-numbers.e2e-spec.ts.
 */
export class OrderNumbers {
  private nextSequence = 0;
  private blockEnd = 0;
  private refill?: Promise<void>;
  /** Callers waiting for a refill: the next refill takes enough for all of them. */
  private waiting = 0;
  /** Counter writes made (what a block saves is visible in tests). */
  blocksTaken = 0;

  constructor(private readonly connection: Connection) {}

  async next(): Promise<string> {
    while (this.nextSequence >= this.blockEnd) {
      // One refill at a time: callers arriving meanwhile wait for it rather than take blocks too.
      this.waiting++;
      try {
        this.refill ??= this.takeBlock().finally(() => (this.refill = undefined));
        await this.refill;
      } finally {
        this.waiting--;
      }
    }
    return formatOrderNumber(this.nextSequence++);
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

  private async takeBlock(): Promise<void> {
    // A burst that used up the block (a flash sale) waits for one more write, not one per block.
    const size = Math.max(ORDER_NUMBER_BLOCK, this.waiting);
    const first = await this.reserve(size);
    this.blocksTaken++;
    this.nextSequence = first;
    this.blockEnd = first + size;
  }
}

import { Model, QueryFilter } from 'mongoose';
import { dayBefore, daysBack, utcDay } from './utc-day';

/**
 * Newest-first pages of a collection whose documents carry `createdDay` (utcDay of createdAt),
 * with a `before` cursor instead of a skip and a count that stops at TOTAL_CAP.
 *
 * Why by day: the embedded database sorts and counts in Go after reading every document its SQL
 * filter lets through, and the only filters it pushes into SQLite are equalities (docs/database.md).
 * `createdDay: {$in: [a few days]}` is one, so a page reads the newest days that fill it, never
 * the whole history. On MongoDB the same query is an index walk ({createdDay, createdAt, _id}).
 */

/** Counting stops here: past it the total says "at least". */
export const TOTAL_CAP = 1_000;
/** Nothing is older than this (the walk's end when no `from` is given). */
export const FIRST_DAY = '2020-01-01';
/** Days asked for in one query at most: empty stretches are crossed quickly, busy ones are not read too far. */
const MAX_SPAN = 256;

export interface PageCursor {
  at: Date;
  id: string;
}

const CURSOR = /^(\d{1,15})_([0-9A-Za-z_-]{1,64})$/;

export function encodeCursor(doc: { createdAt: Date; _id: unknown }): string {
  return `${doc.createdAt.getTime()}_${String(doc._id)}`;
}

/** The cursor in a `before` parameter (KeysetQueryDto has checked its shape), if any. */
export function decodeCursor(text: string | undefined): PageCursor | undefined {
  const match = text === undefined ? null : CURSOR.exec(text);
  return match ? { at: new Date(Number(match[1])), id: match[2] } : undefined;
}

export interface DayPageQuery<T> {
  /** Conditions besides the day (status, event, a createdAt range, ...). */
  filter: QueryFilter<T>;
  limit: number;
  /** Items before (older than) this one. */
  before?: PageCursor;
  /** Window of creation times to walk (defaults: now, FIRST_DAY). */
  newest?: Date;
  oldest?: Date;
  /** Turns a cursor's id back into the collection's `_id` type. */
  toId: (id: string) => unknown;
}

export interface DayPage<D> {
  items: D[];
  /** The cursor for the next page, null on the last one. */
  nextBefore: string | null;
  /** Matches counted, at most TOTAL_CAP. */
  total: number;
  totalCapped: boolean;
}

/** Keyset condition: strictly after the cursor in (createdAt desc, _id desc) order. */
function olderThan(cursor: PageCursor, toId: (id: string) => unknown) {
  return {
    $or: [
      { createdAt: { $lt: cursor.at } },
      { createdAt: cursor.at, _id: { $lt: toId(cursor.id) } },
    ],
  };
}

/** The day windows to read, newest first: doubling across empty stretches, capped at MAX_SPAN. */
async function* windows(newest: string, oldest: string): AsyncGenerator<string[], void, number> {
  let day = newest;
  let span = 2;
  while (day >= oldest) {
    const days = daysBack(day, span, oldest);
    const found: number = yield days;
    day = dayBefore(days[days.length - 1]);
    if (found === 0) span = Math.min(span * 2, MAX_SPAN);
  }
}

/** One page of a query narrow enough to read whole (an e-mail's orders): same shape, exact total. */
export async function narrowPage<T, D extends { createdAt: Date; _id: unknown }>(
  model: Model<T>,
  query: Omit<DayPageQuery<T>, 'newest' | 'oldest'>,
): Promise<DayPage<D>> {
  const paged = query.before
    ? ({ $and: [query.filter, olderThan(query.before, query.toId)] } as QueryFilter<T>)
    : query.filter;
  const [items, counted] = await Promise.all([
    model
      .find(paged)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .exec() as Promise<D[]>,
    model.countDocuments(query.filter).limit(TOTAL_CAP).exec(),
  ]);
  return toPage(items, query.limit, counted);
}

export async function dayPage<T, D extends { createdAt: Date; _id: unknown }>(
  model: Model<T>,
  query: DayPageQuery<T>,
): Promise<DayPage<D>> {
  // A minute ahead: an instance whose clock is slightly behind another's still sees its orders.
  const newest = query.newest ?? new Date(Date.now() + 60_000);
  const oldest = query.oldest ? utcDay(query.oldest) : FIRST_DAY;
  const onDays = (days: string[], cursor?: PageCursor): QueryFilter<T> =>
    ({
      ...query.filter,
      createdDay: { $in: days },
      ...(cursor && { $and: [olderThan(cursor, query.toId)] }),
    }) as QueryFilter<T>;
  const pageStart = query.before && query.before.at < newest ? query.before.at : newest;

  const [items, counted] = await Promise.all([
    collect<T, D>(
      model,
      utcDay(pageStart),
      oldest,
      (days) => onDays(days, query.before),
      query.limit + 1,
    ),
    // The total does not depend on the page: every page of a listing shows the same one.
    count(model, utcDay(newest), oldest, (days) => onDays(days)),
  ]);
  return toPage(items, query.limit, counted);
}

function toPage<D extends { createdAt: Date; _id: unknown }>(
  items: D[],
  limit: number,
  counted: number,
): DayPage<D> {
  const page = items.slice(0, limit);
  return {
    items: page,
    nextBefore: items.length > limit ? encodeCursor(page[page.length - 1]) : null,
    total: Math.min(counted, TOTAL_CAP),
    totalCapped: counted >= TOTAL_CAP,
  };
}
async function collect<T, D>(
  model: Model<T>,
  newest: string,
  oldest: string,
  filter: (days: string[]) => QueryFilter<T>,
  wanted: number,
): Promise<D[]> {
  const items: D[] = [];
  const walk = windows(newest, oldest);
  let next = await walk.next();
  while (!next.done && items.length < wanted) {
    const batch = (await model
      .find(filter(next.value))
      .sort({ createdAt: -1, _id: -1 })
      .limit(wanted - items.length)
      .exec()) as D[];
    items.push(...batch);
    next = await walk.next(batch.length);
  }
  return items;
}

async function count<T>(
  model: Model<T>,
  newest: string,
  oldest: string,
  filter: (days: string[]) => QueryFilter<T>,
): Promise<number> {
  let total = 0;
  const walk = windows(newest, oldest);
  let next = await walk.next();
  while (!next.done && total < TOTAL_CAP) {
    const n = await model.countDocuments(filter(next.value)).exec();
    total += n;
    next = await walk.next(n);
  }
  return total;
}

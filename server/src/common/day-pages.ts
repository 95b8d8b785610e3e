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

/**
 * Counting stops here: past it the total says "at least". The embedded database decodes every
 * document it counts, so the count, not the page, is what a list costs: at 1,000 the first page
 * of 10,000 orders took 237 ms (353 ms for ?status=paid), most of it counting.
 */
export const TOTAL_CAP = 200;
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

/**
 * The day windows to read, newest first. The first is one day; the next is sized from what the
 * last one held (enough days to find what is still wanted at that density, doubling across
 * empty stretches), at most MAX_SPAN days.
 */
function* windows(
  newest: string,
  oldest: string,
): Generator<string[], void, { found: number; wanted: number }> {
  let day = newest;
  let span = 1;
  while (day >= oldest) {
    const days = daysBack(day, span, oldest);
    const { found, wanted } = yield days;
    day = dayBefore(days[days.length - 1]);
    const next = found === 0 ? span * 2 : Math.ceil((wanted * days.length) / found);
    span = Math.max(1, Math.min(next, MAX_SPAN));
  }
}

/**
 * Only `key` goes to the database as a plain condition; the rest sits under `$and`, which the
 * embedded database leaves to Go. Pushed beside the key, a condition on a field with its own
 * index (status) can make SQLite walk that index and parse every paid order's JSON instead.
 */
function narrowedBy<T>(
  key: object,
  rest: object,
  cursor?: PageCursor,
  toId?: (id: string) => unknown,
) {
  const and = [rest, ...(cursor && toId ? [olderThan(cursor, toId)] : [])];
  return { ...key, $and: and } as QueryFilter<T>;
}

/** One page of a query narrow enough to read whole (an e-mail's orders): same shape. */
export async function narrowPage<T, D extends { createdAt: Date; _id: unknown }>(
  model: Model<T>,
  key: object,
  query: Omit<DayPageQuery<T>, 'newest' | 'oldest'>,
): Promise<DayPage<D>> {
  const [items, counted] = await Promise.all([
    model
      .find(narrowedBy<T>(key, query.filter, query.before, query.toId))
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .exec() as Promise<D[]>,
    model.countDocuments(narrowedBy<T>(key, query.filter)).limit(TOTAL_CAP).exec(),
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
  const pageStart = query.before && query.before.at < newest ? query.before.at : newest;
  const onDays = (cursor?: PageCursor) => (days: string[]) =>
    narrowedBy<T>({ createdDay: { $in: days } }, query.filter, cursor, query.toId);

  const [items, counted] = await Promise.all([
    walk(utcDay(pageStart), oldest, query.limit + 1, async (days, wanted) => {
      const found = (await model
        .find(onDays(query.before)(days))
        .sort({ createdAt: -1, _id: -1 })
        .limit(wanted)
        .exec()) as D[];
      return { found, n: found.length };
    }),
    // The total does not depend on the page: every page of a listing shows the same one.
    walk(utcDay(newest), oldest, TOTAL_CAP, async (days, wanted) => ({
      found: [],
      n: await model.countDocuments(onDays()(days)).limit(wanted).exec(),
    })),
  ]);
  return toPage(items.found, query.limit, counted.n);
}

/** Reads windows until `wanted` are found (items, or just counted) or the days run out. */
async function walk<D>(
  newest: string,
  oldest: string,
  wanted: number,
  read: (days: string[], wanted: number) => Promise<{ found: D[]; n: number }>,
): Promise<{ found: D[]; n: number }> {
  const result = { found: [] as D[], n: 0 };
  const days = windows(newest, oldest);
  let next = days.next();
  while (!next.done && result.n < wanted) {
    const got = await read(next.value, wanted - result.n);
    result.found.push(...got.found);
    result.n += got.n;
    next = days.next({ found: got.n, wanted: wanted - result.n });
  }
  return result;
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

/**
 * UTC days, `YYYY-MM-DD`, kept beside a date (createdAt, paidAt) because an equality on a string
 * is what the embedded database answers from an index (a date range it scans): "orders of these
 * days" costs what those days hold, not the whole history (docs/database.md).
 */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The days a date in the `windowMs` before `now` may carry. */
export function daysWithin(now: Date, windowMs: number): string[] {
  return [...new Set([utcDay(new Date(now.getTime() - windowMs)), utcDay(now)])];
}

const DAY_MS = 86_400_000;

/** `count` days ending with `newest` and going back, never before `oldest` (both `YYYY-MM-DD`). */
export function daysBack(newest: string, count: number, oldest: string): string[] {
  const days: string[] = [];
  let at = Date.parse(`${newest}T00:00:00Z`);
  const stop = Date.parse(`${oldest}T00:00:00Z`);
  while (days.length < count && at >= stop) {
    days.push(utcDay(new Date(at)));
    at -= DAY_MS;
  }
  return days;
}

/** The day before `day`. */
export function dayBefore(day: string): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS));
}

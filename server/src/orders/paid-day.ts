/**
 * The UTC day an order was paid, `YYYY-MM-DD`. Kept beside `paidAt` because an equality on a
 * string is what the embedded database answers from an index (a date range it scans), so "orders
 * paid recently" costs what was paid recently, not the whole history.
 */
export function paidDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The days an order paid in the `windowMs` before `now` may carry. */
export function paidDaysWithin(now: Date, windowMs: number): string[] {
  return [...new Set([paidDay(new Date(now.getTime() - windowMs)), paidDay(now)])];
}

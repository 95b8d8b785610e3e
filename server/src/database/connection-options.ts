import type { mongo } from 'mongoose';

/**
 * How long the shop waits for the database, in one place for the embedded FerretDB and for
 * MONGODB_URI alike (issue 13: a frozen database made requests hang 33-38 s, then answer 500).
 *
 * - the driver's monitor checks the server every 500 ms and gives each check 1.5 s (less made a
 *   busy 2-core machine look like an outage), so a stalled server is noticed within about 2 s;
 *   the driver then interrupts the operations in flight,
 *   and {@link DatabaseAvailability} fails every new operation at once until a check succeeds;
 * - a new connection, or a server to send an operation to, is waited for at most 1 s;
 * - no driver retry: a retried operation would wait for the server again, doubling the delay.
 *   The client retries on the 503 instead (browsers, and Razorpay for webhooks);
 * - socketTimeoutMS bounds an operation the server accepted but never answers while it still
 *   answers the monitor (a stuck write, a lock): longer, because a busy database is not a
 *   broken one.
 */
export const DATABASE_DEADLINES = {
  heartbeatFrequencyMS: 500,
  connectTimeoutMS: 1_500,
  serverSelectionTimeoutMS: 1_000,
  socketTimeoutMS: 10_000,
  retryReads: false,
  retryWrites: false,
} as const satisfies mongo.MongoClientOptions;

/** Seconds a client is told to wait (Retry-After) after a 503 for an unavailable database. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

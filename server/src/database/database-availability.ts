import type { Connection, Schema } from 'mongoose';
import { mongo } from 'mongoose';

/** Thrown instead of sending an operation to a database the driver already knows is down. */
export class DatabaseUnavailableError extends Error {
  constructor(message = 'The database is unavailable') {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Driver errors that say "the database cannot be reached", whatever the operation was. */
const UNREACHABLE = [
  mongo.MongoNetworkError, // includes MongoNetworkTimeoutError
  mongo.MongoServerSelectionError,
  mongo.MongoTopologyClosedError,
  mongo.MongoNotConnectedError,
  mongo.MongoServerClosedError,
  mongo.MongoClientClosedError,
];
const UNREACHABLE_NAMES = new Set([
  'DatabaseUnavailableError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoClientClosedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
]);
/** Server error codes of a node that is stepping down, shutting down or cut off (failover). */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * True for every error meaning "the database is not reachable right now" (network, server
 * selection, cleared pool, failover, our own fail-fast), also when wrapped in `cause`.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (UNREACHABLE.some((type) => e instanceof type) || UNREACHABLE_NAMES.has(e.name)) return true;
    if (/buffering timed out|Connection was force closed/.test(e.message)) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
    if (e instanceof mongo.MongoError && e.hasErrorLabel('ResetPool')) return true;
  }
  return false;
}

/** Query, document and model operations that reach the database (mongoose middleware names). */
const QUERY_OPERATIONS = [
  'countDocuments',
  'deleteMany',
  'deleteOne',
  'distinct',
  'estimatedDocumentCount',
  'find',
  'findOne',
  'findOneAndDelete',
  'findOneAndReplace',
  'findOneAndUpdate',
  'replaceOne',
  'updateMany',
  'updateOne',
] as const;

/**
 * Follows the driver's view of the database: unavailable from the moment its monitor loses the
 * last writable server until a check finds one again. While it is unavailable every mongoose
 * operation on the connection fails at once with {@link DatabaseUnavailableError}: without it
 * each one would wait for server selection, and a request that tidies up after a failure
 * (gives stock back, releases a key) would wait once per step.
 */
export class DatabaseAvailability {
  private available = true;
  private changedAt = Date.now();

  /** Installs the watcher and the fail-fast plugin; call before any model is compiled. */
  static attach(connection: Connection): DatabaseAvailability {
    const availability = new DatabaseAvailability();
    connection.getClient().on('topologyDescriptionChanged', (event) => {
      const writable = [...event.newDescription.servers.values()].some((s) => s.isWritable);
      availability.set(writable);
    });
    connection.plugin((schema: Schema) => availability.guard(schema));
    watched.set(connection, availability);
    return availability;
  }

  /** The availability attached to `connection`, if any. */
  static of(connection: Connection): DatabaseAvailability | undefined {
    return watched.get(connection);
  }

  get isAvailable(): boolean {
    return this.available;
  }

  /** Milliseconds since the database last became available or unavailable. */
  get msSinceChange(): number {
    return Date.now() - this.changedAt;
  }

  private set(available: boolean): void {
    if (available === this.available) return;
    this.available = available;
    this.changedAt = Date.now();
  }

  private guard(schema: Schema): void {
    const failFast = (): void => {
      if (!this.available) throw new DatabaseUnavailableError();
    };
    schema.pre([...QUERY_OPERATIONS], failFast);
    schema.pre('save', failFast);
    schema.pre('insertMany', failFast);
    schema.pre('bulkWrite', failFast);
    schema.pre('aggregate', failFast);
  }
}

const watched = new WeakMap<Connection, DatabaseAvailability>();

import { mongo } from 'mongoose';
import { DatabaseUnavailableError, isDatabaseUnavailableError } from './database-availability';

// The pool errors are not exported by the driver; these are its own classes, from its files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cmap = require('mongoose/node_modules/mongodb/lib/cmap/errors') as {
  PoolClearedError: new (pool: object) => Error;
  PoolClearedOnNetworkError: new (pool: object) => Error;
};

describe(isDatabaseUnavailableError.name, () => {
  const address = '127.0.0.1:27017';
  const pool = { address, serverError: new mongo.MongoNetworkError('socket hang up') };

  it.each([
    ['a network error', new mongo.MongoNetworkError('connection reset')],
    ['a network timeout', new mongo.MongoNetworkTimeoutError('connection 3 timed out')],
    ['a server selection timeout', new mongo.MongoServerSelectionError('timed out', {} as never)],
    ['a closed topology', new mongo.MongoTopologyClosedError()],
    ['a client that is not connected', new mongo.MongoNotConnectedError('not connected')],
    ['a pool cleared by the monitor', new cmap.PoolClearedOnNetworkError(pool)],
    ['a cleared pool', new cmap.PoolClearedError(pool)],
    ['the fail-fast of the availability watcher', new DatabaseUnavailableError()],
    ['a failover (NotWritablePrimary)', new mongo.MongoServerError({ code: 10107, errmsg: 'x' })],
  ])('should be true for %s', (_, error) => expect(isDatabaseUnavailableError(error)).toBe(true));

  it('should be true when the driver error is the cause of another error', () =>
    expect(
      isDatabaseUnavailableError(
        new Error('insert failed', { cause: new mongo.MongoNetworkError('reset') }),
      ),
    ).toBe(true));

  it.each([
    ['a duplicate key', new mongo.MongoServerError({ code: 11000, errmsg: 'E11000' })],
    ['a plain error', new Error('boom')],
    ['a non-error', 'database down'],
  ])('should be false for %s', (_, error) => expect(isDatabaseUnavailableError(error)).toBe(false));
});

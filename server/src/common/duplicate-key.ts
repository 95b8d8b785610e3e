import { mongo } from 'mongoose';

/** A unique index refused the write: how the shop detects "someone got there first". */
export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof mongo.MongoServerError && error.code === 11000;
}

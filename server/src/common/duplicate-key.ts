import { Model, mongo } from 'mongoose';

/** A unique index refused the write: how the shop detects "someone got there first". */
export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof mongo.MongoServerError && error.code === 11000;
}

/**
 * Inserts each document unless one with its _id exists, all in one command (unordered, so one
 * duplicate stops nothing): true for each document this call inserted. Any other error throws.
 */
export async function insertEachOnce<T>(model: Model<T>, docs: object[]): Promise<boolean[]> {
  try {
    // throwOnValidationError: mongoose would otherwise skip an invalid document silently.
    await model.insertMany(docs, { ordered: false, throwOnValidationError: true });
    return docs.map(() => true);
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    if (!Array.isArray(writeErrors)) {
      if (docs.length === 1 && isDuplicateKeyError(error)) return [false];
      throw error;
    }
    const refused = new Set<number>();
    for (const e of writeErrors as { index: number; code?: number; err?: { code?: number } }[]) {
      if ((e.code ?? e.err?.code) !== 11000) throw error;
      refused.add(e.index);
    }
    return docs.map((_, i) => !refused.has(i));
  }
}

/**
 * Writes the operations in one unordered bulkWrite: the batch writer of a GroupCommit whose
 * callers each hand in one update (one command for up to its 500; the embedded database needs
 * patch edit 6 for 100 or more, docs/database.md).
 */
export async function bulkWriteAll<T>(
  model: Model<T>,
  operations: Parameters<Model<T>['bulkWrite']>[0],
): Promise<void[]> {
  await model.bulkWrite(operations, { ordered: false });
  return operations.map(() => undefined);
}

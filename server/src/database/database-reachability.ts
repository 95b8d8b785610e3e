import mongoose from 'mongoose';

const TIMEOUT_MS = 10_000;

/**
 * Fails fast, with one clear line, when MONGODB_URI points at a database that does not answer,
 * instead of letting the app hang on its first query. Credentials never appear in the message.
 */
export async function assertDatabaseReachable(uri: string): Promise<void> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: TIMEOUT_MS });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot reach the database at ${describe(uri)} within ${TIMEOUT_MS / 1000} s (${reason}). Check MONGODB_URI.`,
    );
  } finally {
    await client.close().catch(() => undefined);
  }
}

function describe(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'MONGODB_URI';
  }
}

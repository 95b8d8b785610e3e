export { startDatabase, NO_DATABASE_MESSAGE } from './launcher';
export type { DatabaseHandle, StartDatabaseOptions } from './launcher';
export { withDatabaseName } from './database-uri';
export { findRepoRoot } from './repo-root';

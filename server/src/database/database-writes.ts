import type { Connection, mongo } from 'mongoose';

/** The field of each write command that carries its statements (one document written each). */
const STATEMENTS: Readonly<Record<string, string | null>> = {
  insert: 'documents',
  update: 'updates',
  delete: 'deletes',
  findAndModify: null,
};

const watched = new WeakMap<Connection, DatabaseWrites>();

/**
 * Counts the write commands the shop sends and the statements in them (documents inserted,
 * updated or deleted, matched or not), from the driver's command events: the figure behind
 * "writes per request" (shop_database_write_commands_total, shop_database_write_statements_total).
 * A group commit (group-commit.ts) shows up as fewer commands for the same statements.
 */
export class DatabaseWrites {
  readonly commands = new Map<string, number>();
  readonly statements = new Map<string, number>();

  static attach(connection: Connection): DatabaseWrites {
    const writes = new DatabaseWrites();
    connection
      .getClient()
      .on('commandStarted', (event: mongo.CommandStartedEvent) =>
        writes.count(event.commandName, event.command),
      );
    watched.set(connection, writes);
    return writes;
  }

  static of(connection: Connection | undefined): DatabaseWrites | undefined {
    return connection ? watched.get(connection) : undefined;
  }

  private count(name: string, command: mongo.Document): void {
    const field = STATEMENTS[name];
    if (field === undefined) return;
    const statements =
      field === null ? 1 : ((command[field] as unknown[] | undefined)?.length ?? 1);
    this.commands.set(name, (this.commands.get(name) ?? 0) + 1);
    this.statements.set(name, (this.statements.get(name) ?? 0) + statements);
  }
}

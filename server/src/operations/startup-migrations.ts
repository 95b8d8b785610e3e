import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
import {
  EntitledOrder,
  ENTITLEMENTS_BACKFILL,
  EntitlementsRepository,
} from '../orders/entitlements.repository';
import { OrdersRepository } from '../orders/orders.repository';
import { WebhookEventsRepository } from '../webhooks/webhook-events.repository';
import { dropRetiredIndexes } from './retired-indexes';
import { Migration } from './schemas/migration.schema';

/** Orders per entitlement command in the backfill: short writes, the write gate is shared. */
const ENTITLEMENT_BATCH = 200;

/**
 * What a database written by an earlier version needs once. Orders and webhook events stored
 * before `createdDay` (and orders before `customerEmail`) existed are invisible to the operator
 * lists until they get them, events processed before `keptDay` existed are invisible to
 * retention, orders paid before entitlements existed need one (until then the purchase check asks
 * every order of the user), and indexes no query uses any more still cost every write. Once per
 * database and pass, in the background after start: idempotent work (instances starting together
 * only repeat each other), then a mark that later starts check by `_id` and skip.
 */
@Injectable()
export class StartupMigrations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StartupMigrations.name);
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    @InjectModel(Migration.name) private readonly migrations: Model<Migration>,
    @InjectConnection() private readonly connection: Connection,
    private readonly orders: OrdersRepository,
    private readonly events: WebhookEventsRepository,
    private readonly entitlements: EntitlementsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run().catch((error: Error) =>
      // The next start tries again: a pass is marked done only once it finished.
      this.logger.warn(`startup migrations stopped: ${error.message}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  async run(): Promise<void> {
    const stop = () => this.stopping;
    await this.pass('day-fields-v1', async () => {
      const orders = await this.orders.backfillDayFields(stop);
      const events = await this.events.backfillCreatedDay(stop);
      return orders + events > 0
        ? `day fields added to ${orders} orders and ${events} webhook events`
        : null;
    });
    await this.pass('kept-day-v1', async () => {
      const events = await this.events.backfillKeptDay(stop);
      return events > 0 ? `keptDay added to ${events} webhook events` : null;
    });
    // v2: the purchase check's index joined the list (a database marked v1 has it still).
    await this.pass('retired-indexes-v2', async () => {
      const dropped = await dropRetiredIndexes(this.connection.db!);
      return dropped.length > 0 ? `dropped unused indexes ${dropped.join(', ')}` : null;
    });
    await this.pass(ENTITLEMENTS_BACKFILL, async () => {
      const orders = await this.backfillEntitlements(stop);
      return orders > 0 ? `entitlements noted for ${orders} paid orders` : null;
    });
  }

  /** Orders paid before entitlements existed get theirs, a batch per command (idempotent). */
  private async backfillEntitlements(stop: () => boolean): Promise<number> {
    let noted = 0;
    let batch: EntitledOrder[] = [];
    const flush = async () => {
      await this.entitlements.noteAll(batch);
      noted += batch.length;
      batch = [];
    };
    for await (const order of this.orders.purchasedOrders()) {
      if (stop()) return noted;
      if (order.userId) batch.push(order);
      if (batch.length >= ENTITLEMENT_BATCH) await flush();
    }
    await flush();
    return noted;
  }

  /** Runs `work` unless `name` is marked done, and marks it done if it was not interrupted. */
  private async pass(name: string, work: () => Promise<string | null>): Promise<void> {
    if (this.stopping || (await this.migrations.exists({ _id: name }).exec())) return;
    const done = await work();
    if (this.stopping) return;
    await this.migrations.updateOne(
      { _id: name },
      { $set: { doneAt: new Date() } },
      { upsert: true },
    );
    if (done) this.logger.log(done);
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { OrdersRepository } from '../orders/orders.repository';
import { WebhookEventsRepository } from '../webhooks/webhook-events.repository';
import { Migration } from './schemas/migration.schema';

const NAME = 'day-fields-v1';

/**
 * Orders and webhook events stored before `createdDay` (and orders before `customerEmail`)
 * existed are invisible to the operator lists until they get them. Once per database, in the
 * background after start: one pass over each collection, one `_id` update per old document
 * (idempotent, so instances starting together only repeat each other), then a mark that later
 * starts check by `_id` and skip.
 */
@Injectable()
export class DayFieldsBackfill implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DayFieldsBackfill.name);
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    @InjectModel(Migration.name) private readonly migrations: Model<Migration>,
    private readonly orders: OrdersRepository,
    private readonly events: WebhookEventsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run().catch((error: Error) =>
      // The next start tries again: nothing is marked done until both passes finished.
      this.logger.warn(`day fields backfill stopped: ${error.message}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  async run(): Promise<void> {
    if (await this.migrations.exists({ _id: NAME }).exec()) return;
    const orders = await this.orders.backfillDayFields(() => this.stopping);
    const events = await this.events.backfillCreatedDay(() => this.stopping);
    if (this.stopping) return;
    await this.migrations.updateOne(
      { _id: NAME },
      { $set: { doneAt: new Date() } },
      { upsert: true },
    );
    if (orders + events > 0)
      this.logger.log(`day fields added to ${orders} orders and ${events} webhook events`);
  }
}

import { Injectable, Optional } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { DatabaseWrites } from '../database/database-writes';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Counters for what payments monitoring needs; exposed in Prometheus format at /api/metrics. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly orderTransitions = new Counter({
    name: 'shop_order_transitions_total',
    help: 'Order status changes, by new status and what caused them',
    labelNames: ['to', 'source'] as const,
    registers: [this.registry],
  });
  readonly ordersByStatus = new Gauge({
    name: 'shop_orders',
    help: 'Open (pending) orders in the database, counted at most every 15 s; ended orders are counted by shop_order_transitions_total',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly verifyOutcomes = new Counter({
    name: 'shop_payment_verifications_total',
    help: 'POST /api/payments/verify outcomes',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookSignatureFailures = new Counter({
    name: 'shop_webhook_signature_failures_total',
    help: 'Webhook deliveries rejected for a missing or wrong signature',
    registers: [this.registry],
  });
  readonly webhookDuplicates = new Counter({
    name: 'shop_webhook_duplicates_total',
    help: 'Webhook deliveries of an event already recorded',
    registers: [this.registry],
  });
  readonly webhookLag = new Histogram({
    name: 'shop_webhook_processing_lag_seconds',
    help: 'Seconds from Razorpay creating an event to the shop processing it',
    buckets: [0.1, 0.5, 1, 5, 30, 60, 300, 3600],
    registers: [this.registry],
  });
  readonly reconcilerRecoveries = new Counter({
    name: 'shop_reconciler_recoveries_total',
    help: 'Orders marked paid by the reconciler (missed browser and webhook)',
    registers: [this.registry],
  });
  readonly orphanPayments = new Counter({
    name: 'shop_orphan_payments_total',
    help: 'Payments reported for a Razorpay order the shop does not know',
    registers: [this.registry],
  });
  readonly latePayments = new Counter({
    name: 'shop_late_payments_total',
    help: 'Payments that arrived for an expired or cancelled order (flagged for refund)',
    registers: [this.registry],
  });

  constructor(@Optional() @InjectConnection() connection?: Connection) {
    collectDefaultMetrics({ register: this.registry, prefix: 'shop_' });
    const writes = () => DatabaseWrites.of(connection);
    for (const [name, help, counts] of [
      [
        'shop_database_write_commands_total',
        'Write commands sent to the database, by command',
        (w: DatabaseWrites) => w.commands,
      ],
      [
        'shop_database_write_statements_total',
        'Documents the write commands inserted, updated or deleted (or tried to), by command',
        (w: DatabaseWrites) => w.statements,
      ],
    ] as const) {
      new Counter({
        name,
        help,
        labelNames: ['command'] as const,
        registers: [this.registry],
        collect() {
          const w = writes();
          if (!w) return;
          this.reset();
          for (const [command, n] of counts(w)) this.inc({ command }, n);
        },
      });
    }
  }
}

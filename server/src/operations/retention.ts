import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { IdempotencyRepository } from '../orders/idempotency.repository';
import { ReconcilerService } from '../payments/reconciler.service';
import { WebhookEventsRepository } from '../webhooks/webhook-events.repository';

const DAY_MS = 24 * 60 * 60_000;
/** Small batches: each is one read and one write, so the write gate is never held for long. */
const BATCH = 100;
const MAX_BATCHES = 5;

/**
 * Reconciler steps that keep only what is still needed: the raw bodies of processed webhook
 * events (customer contact details) after WEBHOOK_RETENTION_DAYS, and Idempotency-Keys whose
 * 24 hours have passed. Every instance may run them; each write is conditional, so running
 * twice removes nothing twice and nothing still in use.
 */
@Injectable()
export class Retention implements OnModuleInit {
  constructor(
    private readonly reconciler: ReconcilerService,
    private readonly events: WebhookEventsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.reconciler.registerStep('webhookBodiesPruned', (now) => this.pruneWebhookBodies(now));
    this.reconciler.registerStep('idempotencyKeysDeleted', (now) => this.deleteExpiredKeys(now));
  }

  pruneWebhookBodies(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.config.get('WEBHOOK_RETENTION_DAYS') * DAY_MS);
    return inBatches(() => this.events.pruneRawBodies(before, BATCH));
  }

  deleteExpiredKeys(now: Date): Promise<number> {
    return inBatches(() => this.idempotency.deleteExpired(now, BATCH));
  }
}

async function inBatches(batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const done = await batch();
    total += done;
    if (done < BATCH) break;
  }
  return total;
}

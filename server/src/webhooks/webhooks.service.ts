import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ReconcilerService } from '../payments/reconciler.service';
import { createHash } from 'node:crypto';
import { DomainException } from '../common/domain.exception';
import { MetricsService } from '../metrics/metrics.service';
import { PaymentSettlementService } from '../payments/payment-settlement.service';
import { RefundsService } from '../payments/refunds.service';
import { SignatureService } from '../razorpay/signature.service';
import { parseRazorpayEvent, RazorpayEvent, razorpayOrderIdOf } from './razorpay-event';
import { NoEffect, WebhookEventsRepository } from './webhook-events.repository';

export interface WebhookDelivery {
  rawBody?: Buffer;
  signature?: string;
  eventId?: string;
}

export interface WebhookReceipt {
  status: 'processed' | 'duplicate';
}

const STALE_BATCH = 50;
const PAYMENT_REPORTS = new Set(['payment.authorized', 'payment.captured', 'order.paid']);

@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly signatures: SignatureService,
    private readonly events: WebhookEventsRepository,
    private readonly settlement: PaymentSettlementService,
    private readonly refunds: RefundsService,
    private readonly metrics: MetricsService,
    private readonly reconciler: ReconcilerService,
  ) {}

  onModuleInit(): void {
    this.reconciler.registerStep('webhookEventsRecovered', (now) => this.recoverStale(now));
  }

  /**
   * Verify over the raw bytes, record the event id before any effect, apply it, answer. A failure
   * answers 503 so Razorpay delivers again; the effects are idempotent, so a retry is harmless.
   */
  async receive({ rawBody, signature, eventId }: WebhookDelivery): Promise<WebhookReceipt> {
    if (!rawBody || !signature || !this.signatures.isValidWebhook(rawBody, signature)) {
      this.metrics.webhookSignatureFailures.inc();
      throw new DomainException(
        'WEBHOOK_SIGNATURE_INVALID',
        'Missing or invalid X-Razorpay-Signature',
      );
    }
    const event = parseRazorpayEvent(rawBody);
    if (!event)
      throw new DomainException('VALIDATION_FAILED', 'The webhook body is not a Razorpay event');
    // Razorpay always sends an event id; the body hash stands in if a proxy dropped the header.
    const id = eventId ?? `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
    const claim = await this.events.claim(
      id,
      event.event,
      rawBody.toString('utf8'),
      event.created_at ?? 0,
      this.noEffect(event),
    );
    if (claim === 'recorded') {
      this.observeLag(event);
      return { status: 'processed' };
    }
    if (claim === 'duplicate') {
      this.metrics.webhookDuplicates.inc();
      return { status: 'duplicate' };
    }
    if (claim === 'busy') {
      // Not acknowledged: if the delivery holding the event fails or dies, Razorpay must retry.
      throw new DomainException(
        'WEBHOOK_IN_PROGRESS',
        'This event is being processed by another delivery; deliver it again later',
      );
    }
    await this.process(id, event);
    return { status: 'processed' };
  }

  /** Takes over events whose delivery died or failed (a reconciler step); returns how many were applied. */
  async recoverStale(now: Date): Promise<number> {
    let recovered = 0;
    for (const stale of await this.events.findStale(now, STALE_BATCH)) {
      const claimed = await this.events.claimStale(stale._id);
      const event = claimed?.rawBody && parseRazorpayEvent(Buffer.from(claimed.rawBody, 'utf8'));
      if (!event) continue;
      await this.process(stale._id, event).then(
        () => recovered++,
        () => undefined, // recorded as failed; tried again next cycle or on Razorpay's retry
      );
    }
    return recovered;
  }

  /** An operator's replay of a stored event, through the same idempotent path. */
  async replay(id: string): Promise<WebhookReceipt> {
    const stored = await this.events.claimForReplay(id);
    if (!stored) throw new DomainException('WEBHOOK_EVENT_NOT_FOUND', 'Webhook event not found');
    if (stored === 'pruned' || !stored.rawBody)
      throw new DomainException(
        'WEBHOOK_EVENT_PRUNED',
        'The event is older than WEBHOOK_RETENTION_DAYS and its body was removed',
      );
    const event = parseRazorpayEvent(Buffer.from(stored.rawBody, 'utf8'));
    if (!event) throw new DomainException('VALIDATION_FAILED', 'The stored event cannot be parsed');
    await this.process(id, event);
    return { status: 'processed' };
  }

  private async process(id: string, event: RazorpayEvent): Promise<void> {
    const razorpayOrderId = razorpayOrderIdOf(event);
    try {
      await this.apply(event);
      await this.events.finish(id, 'processed', { razorpayOrderId });
      this.observeLag(event);
    } catch (error) {
      const message = (error as Error).message;
      this.logger.error(`webhook ${id} (${event.event}) failed: ${message}`);
      await this.events
        .finish(id, 'failed', { razorpayOrderId, error: message })
        .catch(() => undefined);
      throw new DomainException(
        'WEBHOOK_PROCESSING_FAILED',
        'The event could not be processed; it will be retried',
      );
    }
  }

  /**
   * A payment report that settlement would ignore (payment.authorized, payment.captured or
   * order.paid for the payment that already paid the order: two of the three events every paid
   * order receives) needs no claim-then-finish.
   */
  private noEffect(event: RazorpayEvent): NoEffect | undefined {
    const payment = event.payload.payment?.entity;
    if (!payment || !PAYMENT_REPORTS.has(event.event)) return undefined;
    return {
      check: () => this.settlement.changesNothing(payment),
      razorpayOrderId: razorpayOrderIdOf(event),
    };
  }

  private observeLag(event: RazorpayEvent): void {
    if (event.created_at)
      this.metrics.webhookLag.observe(Math.max(0, Date.now() / 1000 - event.created_at));
  }

  private async apply(event: RazorpayEvent): Promise<void> {
    const payment = event.payload.payment?.entity;
    const refund = event.payload.refund?.entity;
    switch (event.event) {
      case 'payment.authorized':
      case 'payment.captured':
      case 'payment.failed':
      case 'order.paid':
        if (payment) await this.settlement.apply(payment, 'webhook');
        return;
      case 'refund.created':
      case 'refund.processed':
      case 'refund.failed':
        if (payment) {
          await this.settlement.apply(payment, 'webhook', {
            refundFailed: event.event === 'refund.failed',
          });
        }
        if (refund) await this.refunds.record(refund, 'webhook');
        return;
      default:
        this.logger.log(`ignoring ${event.event}`);
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '../common/domain.exception';
import { AppConfig } from '../config/app-config';
import { OutboxService } from '../mail/outbox.service';
import { OrderStateService } from '../orders/order-state.service';
import { isUnassignedRazorpayOrderId } from '../orders/orders.service';
import { OrdersRepository } from '../orders/orders.repository';
import { OrderDocument } from '../orders/schemas/order.schema';
import { StockReservations } from '../orders/stock-reservations';
import { RazorpayError } from '../razorpay/razorpay.errors';
import { RazorpayService } from '../razorpay/razorpay.service';
import { RazorpayPaymentEntity } from '../razorpay/razorpay.types';
import { PaymentSettlementService } from './payment-settlement.service';
import { RefundIntentsRepository } from './refund-intents.repository';
import { RefundsService } from './refunds.service';

const LEASE_MS = 60_000;
const BATCH = 50;
/** Orders checked at once: Razorpay's rate limits and the database's write gate stay calm. */
const CONCURRENCY = 4;
/** A payment still in progress holds an expired order this long before the order expires anyway. */
const IN_PROGRESS_GRACE_MS = 15 * 60_000;
const MAX_BACKOFF_STEPS = 8;

export interface ReconcileRun {
  checked: number;
  paid: number;
  expired: number;
  cancelled: number;
  heldForPaymentInProgress: number;
  errors: number;
  stockReleased: number;
  refundsCompleted: number;
  extra: Record<string, number>;
  /** Milliseconds each part of the cycle took, so a slow cycle says which part is slow. */
  stepMs: Record<string, number>;
}

/** Another module's repair work, run on every reconciler cycle (e.g. webhook events left claimed). */
export type ReconcileStep = (now: Date) => Promise<number>;

/**
 * Repairs what the browser and the webhooks missed, by asking Razorpay: settles pending orders
 * (capturing authorised payments the order can still take), expires unpaid ones past their TTL
 * unless a payment is still in progress, cancels orders Razorpay does not know, gives back stock a
 * crash left held (by an ended order, or by a placement that died before recording its order), and finishes refunds whose outcome was unknown. Orders are taken under a lease
 * and least recently checked first, so several instances never work on one order and none starves.
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);
  private readonly steps = new Map<string, ReconcileStep>();

  constructor(
    private readonly orders: OrdersRepository,
    private readonly razorpay: RazorpayService,
    private readonly settlement: PaymentSettlementService,
    private readonly state: OrderStateService,
    private readonly refunds: RefundsService,
    private readonly intents: RefundIntentsRepository,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    reservations: StockReservations,
  ) {
    this.registerStep('abandonedReservationsReleased', (now) => reservations.releaseAbandoned(now));
  }

  registerStep(name: string, step: ReconcileStep): void {
    this.steps.set(name, step);
  }

  /** The admin's "reconcile now" for one order. */
  async reconcileOne(orderId: string): Promise<OrderDocument> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new DomainException('ORDER_NOT_FOUND', 'Order not found');
    if (order.status === 'pending' && !isUnassignedRazorpayOrderId(order.razorpayOrderId)) {
      await this.settleFromRazorpay(order);
    }
    return (await this.orders.findById(order._id)) ?? order;
  }

  async runOnce(now = new Date()): Promise<ReconcileRun> {
    const run: ReconcileRun = {
      checked: 0,
      paid: 0,
      expired: 0,
      cancelled: 0,
      heldForPaymentInProgress: 0,
      errors: 0,
      stockReleased: 0,
      refundsCompleted: 0,
      extra: {},
      stepMs: {},
    };
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        run.stepMs[name] = Math.round(performance.now() - started);
      }
    };
    const before = new Date(now.getTime() - this.recheckMs);
    const due = await timed('findDue', () => this.orders.findDueForReconcile(before, BATCH));
    await timed('orders', () =>
      forEachConcurrently(due, CONCURRENCY, (order) => this.reconcileOrder(order, now, run)),
    );
    await timed('heldStock', () => this.releaseHeldStock(run));
    await timed('openRefunds', () => this.completeOpenRefunds(now, run));
    for (const [name, step] of this.steps) {
      run.extra[name] = await timed(name, () =>
        step(now).catch((error: unknown) => {
          this.logger.warn(`reconcile step ${name} failed: ${(error as Error).message}`);
          return 0;
        }),
      );
    }
    if (run.checked + run.stockReleased + run.refundsCompleted > 0)
      this.logger.log(`reconciled ${JSON.stringify(run)}`);
    return run;
  }

  private async reconcileOrder(candidate: OrderDocument, now: Date, run: ReconcileRun) {
    const order = await this.orders.claimForReconcile(candidate._id, LEASE_MS);
    if (!order) return; // another instance has it
    run.checked++;
    try {
      const payments = isUnassignedRazorpayOrderId(order.razorpayOrderId)
        ? []
        : await this.settleFromRazorpay(order);
      const current = (await this.orders.findById(order._id)) ?? order;
      if (current.status === 'paid') run.paid++;
      if (current.status !== 'pending' || current.expiresAt > now) return;
      if (
        paymentInProgress(current, payments) &&
        now.getTime() - current.expiresAt.getTime() < IN_PROGRESS_GRACE_MS
      ) {
        run.heldForPaymentInProgress++;
        return;
      }
      if (
        await this.end(
          current,
          'expired',
          `unpaid after ${this.config.get('ORDER_TTL_MINUTES')} minutes`,
        )
      )
        run.expired++;
    } catch (error) {
      if (error instanceof RazorpayError && error.unknownId) {
        // A permanent answer (e.g. an order made under another key): waiting will not change it.
        const note = `Razorpay does not know this order: ${error.upstreamDescription ?? ''}`.trim();
        if (await this.end(order, 'cancelled', note)) run.cancelled++;
        return;
      }
      run.errors++;
      // Razorpay unreachable: leave the order pending rather than expire one that may be paid.
      this.logger.warn(`order ${order.id}: reconcile failed (${(error as Error).message})`);
    } finally {
      // Leases and backoff run on the real clock; `now` only decides what has expired.
      const backoffMs = this.recheckMs * Math.min(order.reconcileAttempts, MAX_BACKOFF_STEPS);
      await this.orders.deferReconcile(order._id, new Date(Date.now() + backoffMs));
    }
  }

  /** Applies every payment Razorpay has for the order (capturing one the order can still take). */
  private async settleFromRazorpay(order: OrderDocument): Promise<RazorpayPaymentEntity[]> {
    const payments = await this.razorpay.fetchOrderPayments(order.razorpayOrderId);
    for (const payment of payments) await this.settlement.apply(payment, 'reconciler');
    return payments;
  }

  private async end(order: OrderDocument, to: 'expired' | 'cancelled', note: string) {
    const source = to === 'expired' ? 'expiry' : 'reconciler';
    const ended = await this.state.transition(order, to, { source, note });
    if (ended) await this.outbox.orderEnded(ended); // never throws; mails only an expired attempt
    return ended !== null;
  }

  /** Orders that ended while their stock release was interrupted: the claim flag still decides who releases. */
  private async releaseHeldStock(run: ReconcileRun): Promise<void> {
    for (const order of await this.orders.findEndedWithStockHeld(BATCH)) {
      if (await this.state.releaseStock(order)) run.stockReleased++;
    }
  }

  /** Refunds whose Razorpay answer never came (timeout, crash): asked again with the same key. */
  private async completeOpenRefunds(now: Date, run: ReconcileRun): Promise<void> {
    const before = new Date(now.getTime() - this.recheckMs);
    for (const intent of await this.intents.findOpenUpdatedBefore(before, BATCH)) {
      try {
        await this.refunds.complete(intent, 'reconciler');
        run.refundsCompleted++;
      } catch (error) {
        run.errors++;
        this.logger.warn(
          `refund intent ${intent._id}: not completed (${(error as Error).message})`,
        );
      }
    }
  }

  private get recheckMs(): number {
    return this.config.get('RECONCILE_AFTER_SECONDS') * 1000;
  }
}

/**
 * Razorpay is still working on a payment for this order: one not yet authorised (UPI collect,
 * 3-D Secure) or an authorisation of the right amount whose capture is not confirmed.
 */
function paymentInProgress(order: OrderDocument, payments: RazorpayPaymentEntity[]): boolean {
  return payments.some(
    (p) =>
      p.status === 'created' ||
      (p.status === 'authorized' && p.amount === order.amount && p.currency === order.currency),
  );
}

async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '../common/domain.exception';
import { AppConfig } from '../config/app-config';
import { OrderStateService } from '../orders/order-state.service';
import { isUnassignedRazorpayOrderId } from '../orders/orders.service';
import { OrdersRepository } from '../orders/orders.repository';
import { OrderDocument } from '../orders/schemas/order.schema';
import { PaymentSettlementService } from './payment-settlement.service';
import { RazorpayService } from '../razorpay/razorpay.service';

const LEASE_MS = 60_000;
const BATCH = 50;

export interface ReconcileRun {
  checked: number;
  paid: number;
  expired: number;
  errors: number;
}

/**
 * Settles what the browser and the webhooks missed by asking Razorpay, then expires unpaid orders
 * past their TTL. Each order is taken under a lease, so several instances never work on the same one.
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly razorpay: RazorpayService,
    private readonly settlement: PaymentSettlementService,
    private readonly state: OrderStateService,
    private readonly config: AppConfig,
  ) {}

  /** The admin's "reconcile now" for one order. */
  async reconcileOne(orderId: string): Promise<OrderDocument> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new DomainException('ORDER_NOT_FOUND', 'Order not found');
    if (order.status === 'pending') await this.settleFromRazorpay(order);
    return (await this.orders.findById(order._id)) ?? order;
  }

  async runOnce(now = new Date()): Promise<ReconcileRun> {
    const run: ReconcileRun = { checked: 0, paid: 0, expired: 0, errors: 0 };
    const before = new Date(now.getTime() - this.config.get('RECONCILE_AFTER_SECONDS') * 1000);
    for (const candidate of await this.orders.findPendingCreatedBefore(before, BATCH)) {
      const order = await this.orders.claimForReconcile(candidate._id, LEASE_MS);
      if (!order) continue; // another instance has it
      run.checked++;
      try {
        const settled = await this.settleFromRazorpay(order);
        if (settled?.status === 'paid') run.paid++;
        else if (order.expiresAt <= now && (await this.expire(order))) run.expired++;
      } catch (error) {
        run.errors++;
        // Razorpay unreachable: leave the order pending rather than expire one that may be paid.
        this.logger.warn(`order ${order.id}: reconcile failed (${(error as Error).message})`);
      }
    }
    if (run.checked > 0) this.logger.log(`reconciled ${JSON.stringify(run)}`);
    return run;
  }

  private async settleFromRazorpay(order: OrderDocument): Promise<OrderDocument | null> {
    if (isUnassignedRazorpayOrderId(order.razorpayOrderId)) return order;
    let latest: OrderDocument | null = order;
    for (let payment of await this.razorpay.fetchOrderPayments(order.razorpayOrderId)) {
      if (payment.status === 'authorized' && payment.amount === order.amount) {
        payment = await this.razorpay.captureAuthorized(payment);
      }
      latest = await this.settlement.apply(payment, 'reconciler');
    }
    return latest;
  }

  private async expire(order: OrderDocument): Promise<boolean> {
    const expired = await this.state.transition(order, 'expired', {
      source: 'expiry',
      note: `unpaid after ${this.config.get('ORDER_TTL_MINUTES')} minutes`,
    });
    return expired !== null;
  }
}

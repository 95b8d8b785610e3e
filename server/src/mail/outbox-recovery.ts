import { Injectable, OnModuleInit } from '@nestjs/common';
import { OrdersRepository } from '../orders/orders.repository';
import { daysWithin } from '../common/utc-day';
import { PaymentsRepository } from '../payments/payments.repository';
import { ReconcilerService } from '../payments/reconciler.service';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/** Orders paid this recently (by UTC day, so up to twice as long) are checked on every cycle. */
const WINDOW_MS = 24 * 60 * 60_000;
const PAGE = 100;
/** Ids only (a confirmation is missing only after a crash), so a busy day stays cheap. */
const LIMIT = 5_000;

/**
 * A reconciler step: the transition to `paid` and the outbox insert are two writes, so a crash
 * between them would lose the confirmation. Each cycle records any that is missing (the insert
 * is keyed by the order, so this never makes a second one).
 */
@Injectable()
export class OutboxRecovery implements OnModuleInit {
  constructor(
    private readonly reconciler: ReconcilerService,
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsRepository,
    private readonly outbox: OutboxRepository,
    private readonly mail: OutboxService,
  ) {}

  onModuleInit(): void {
    this.reconciler.registerStep('confirmationsRecorded', (now) => this.recordMissing(now));
  }

  async recordMissing(now: Date): Promise<number> {
    let recorded = 0;
    const paid = await this.orders.findIdsPaidOnDays(daysWithin(now, WINDOW_MS), LIMIT);
    for (let start = 0; start < paid.length; start += PAGE) {
      const page = paid.slice(start, start + PAGE);
      const have = await this.outbox.existingIds(
        page.map((id) => OutboxService.paidId(id.toHexString())),
      );
      for (const id of page) {
        if (have.has(OutboxService.paidId(id.toHexString()))) continue;
        const order = await this.orders.findById(id);
        if (order?.status !== 'paid') continue;
        const payment = order.paymentId ? await this.payments.findById(order.paymentId) : null;
        await this.mail.orderPaid(order, { method: payment?.method });
        recorded++;
      }
    }
    return recorded;
  }
}

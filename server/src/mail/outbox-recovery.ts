import { Injectable, OnModuleInit } from '@nestjs/common';
import { OrdersRepository } from '../orders/orders.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { ReconcilerService } from '../payments/reconciler.service';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/** Paid orders created this recently are checked for a missing confirmation on every cycle. */
const WINDOW_MS = 24 * 60 * 60_000;
const PAGE = 100;
const MAX_PAGES = 5;

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
    const from = new Date(now.getTime() - WINDOW_MS);
    let recorded = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { items } = await this.orders.listForAdmin({ status: 'paid', from }, page, PAGE);
      const have = await this.outbox.existingIds(
        items.map((o) => OutboxService.paidId(o.id as string)),
      );
      for (const order of items) {
        if (have.has(OutboxService.paidId(order.id as string))) continue;
        const payment = order.paymentId ? await this.payments.findById(order.paymentId) : null;
        await this.mail.orderPaid(order, { method: payment?.method });
        recorded++;
      }
      if (items.length < PAGE) break;
    }
    return recorded;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { ProductsRepository } from '../products/products.repository';
import { MetricsService } from '../metrics/metrics.service';
import { EntitlementsRepository } from './entitlements.repository';
import { ENDS_UNPAID, OrderStatus, statusesAllowedBefore } from './order-status';
import { OrdersRepository, TransitionChange } from './orders.repository';
import { OrderDocument } from './schemas/order.schema';

/**
 * The one way an order changes status. Verify, webhooks, the reconciler, expiry and refunds all
 * come through here; the conditional update decides the single winner, and only the winner acts.
 */
@Injectable()
export class OrderStateService {
  private readonly logger = new Logger(OrderStateService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly products: ProductsRepository,
    private readonly metrics: MetricsService,
    private readonly entitlements: EntitlementsRepository,
  ) {}

  async transition(
    order: OrderDocument,
    to: OrderStatus,
    change: TransitionChange,
  ): Promise<OrderDocument | null> {
    // First the entitlement, then the move: a crash in between leaves a candidate that is not a
    // purchase (PurchasesService checks the order), never a purchase without an entitlement.
    if (to === 'paid' && statusesAllowedBefore(to, change.from).includes(order.status))
      await this.entitlements.note(order);
    const moved = await this.orders.transition(order._id, to, change);
    if (!moved) return null;
    this.logger.log(`order ${order.id} ${order.status} -> ${to} (${change.source})`);
    this.metrics.orderTransitions.inc({ to, source: change.source });
    if (ENDS_UNPAID.includes(to)) await this.releaseStock(moved);
    return moved;
  }

  /**
   * Gives reserved units back exactly once (the claim flag), whichever path ended the order; the
   * reconciler calls it again for an order whose release a crash interrupted. True for the winner.
   */
  async releaseStock(order: OrderDocument): Promise<boolean> {
    if (!(await this.orders.claimStockRelease(order._id))) {
      // Another path released it first: nothing is held, nothing left to find.
      await this.orders.clearStockReleasePending(order._id);
      return false;
    }
    for (const item of order.items) await this.products.release(item.productId, item.quantity);
    return true;
  }
}

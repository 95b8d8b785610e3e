import { Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { DomainException } from '../common/domain.exception';
import { ProductsRepository } from '../products/products.repository';
import { OrdersRepository } from './orders.repository';
import { OrderItem } from './schemas/order.schema';

/**
 * A reservation whose order still does not exist this long after the order's id was made belongs
 * to a placement that died between taking the stock and recording the order. Longer than what
 * happens in between: a few database calls and one Razorpay call (RAZORPAY_TIMEOUT_MS, 10 s by
 * default). A placement slower than this finds its units given back (handOver) and is refused.
 */
export const ABANDONED_RESERVATION_MS = 30_000;

/**
 * Stock held for an order that is being placed. Each product update carries a marker naming the
 * order, so the units are owned by the order once it is recorded and otherwise given back by the
 * reconciler, exactly once, even when the placing process was killed in between.
 */
@Injectable()
export class StockReservations {
  private readonly logger = new Logger(StockReservations.name);

  constructor(
    private readonly products: ProductsRepository,
    private readonly orders: OrdersRepository,
  ) {}

  /** All lines or none: a short line, or any error, gives back what the earlier lines took. */
  async reserveAll(orderId: Types.ObjectId, items: OrderItem[]): Promise<void> {
    const reserved: OrderItem[] = [];
    try {
      for (const item of items) {
        if (!(await this.products.reserve(item.productId, item.quantity, marker(orderId, item))))
          throw outOfStock(item.name);
        reserved.push(item);
      }
    } catch (error) {
      await this.releaseAll(orderId, reserved);
      throw error;
    }
  }

  /** The order could not be recorded: its units go back. */
  async releaseAll(orderId: Types.ObjectId, items: OrderItem[]): Promise<void> {
    for (const item of items)
      await this.products.releaseReservation(item.productId, marker(orderId, item), item.quantity);
  }

  /**
   * The order is recorded and now owns its units. False when the reconciler gave one back first
   * (the placement took longer than ABANDONED_RESERVATION_MS): the order must not be sold then.
   */
  async handOver(orderId: Types.ObjectId, items: OrderItem[]): Promise<boolean> {
    let intact = true;
    for (const item of items)
      intact =
        (await this.products.settleReservation(item.productId, marker(orderId, item))) && intact;
    return intact;
  }

  /** Reconciler step: reservations left by dead placements. Returns how many it gave back. */
  async releaseAbandoned(now: Date): Promise<number> {
    let released = 0;
    for (const product of await this.products.findWithReservations()) {
      for (const entry of product.reservations) {
        const [orderHex, quantity] = entry.split(':');
        const orderId = new Types.ObjectId(orderHex);
        const age = now.getTime() - orderId.getTimestamp().getTime();
        if (age < ABANDONED_RESERVATION_MS) continue;
        if (await this.orders.findById(orderId)) {
          // Killed after recording the order: the order owns the units, only the marker goes.
          // Later than a release would be, so a placement still alive never mistakes this
          // for a release (handOver false) and cancels an order whose units were kept.
          if (age >= 2 * ABANDONED_RESERVATION_MS)
            await this.products.settleReservation(product._id, entry);
        } else if (await this.products.releaseReservation(product._id, entry, Number(quantity))) {
          this.logger.warn(
            `gave back ${quantity} of product ${product._id} held by dead order ${orderHex}`,
          );
          released++;
        }
      }
    }
    return released;
  }
}

export function outOfStock(productName: string): DomainException {
  return new DomainException('OUT_OF_STOCK', `Not enough stock for ${productName}`);
}

function marker(orderId: Types.ObjectId, item: OrderItem): string {
  return `${orderId.toHexString()}:${item.quantity}`;
}

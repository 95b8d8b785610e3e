import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Types } from 'mongoose';
import { DomainException } from '../common/domain.exception';
import { ProductsRepository } from '../products/products.repository';
import { OrdersRepository } from './orders.repository';
import { OrderItem } from './schemas/order.schema';

/**
 * A reservation whose order still does not exist this long after the order's id was made belongs
 * to a placement that died between taking the stock and recording the order. Longer than what
 * happens in between: a few database calls and one Razorpay call (RAZORPAY_TIMEOUT_MS, 10 s by
 * default). A placement slower than this finds its order id taken and is refused.
 */
export const ABANDONED_RESERVATION_MS = 30_000;

/**
 * Markers of recorded orders are removed together, a write per product every this often instead of
 * one per order: they only tell the reconciler what to look at, and it ignores a recorded order's.
 */
export const MARKER_REMOVAL_BATCH_MS = 100;

/**
 * Stock held for an order that is being placed. Each product update carries a marker naming the
 * order. Who owns the units is decided at the order's id: the placement's insert of the order, or
 * the reconciler's stand-in for a placement that died (OrdersRepository.lapsePlacement) — one
 * insert, whoever comes first; the reconciler gives units back only when its stand-in won.
 */
@Injectable()
export class StockReservations implements OnApplicationShutdown {
  private readonly logger = new Logger(StockReservations.name);
  /** Markers of recorded orders, by product, waiting for the next batched removal. */
  private readonly recorded = new Map<string, { productId: Types.ObjectId; markers: string[] }>();
  private removal?: NodeJS.Timeout;

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

  /** The order was not recorded: its units go back (once, by the marker, whoever else tries). */
  async releaseAll(orderId: Types.ObjectId, items: OrderItem[]): Promise<void> {
    for (const item of items)
      await this.products.releaseReservation(item.productId, marker(orderId, item), item.quantity);
  }

  /**
   * The order is recorded and owns its units: its markers are removed with the next batch. Lost
   * if the process dies first; the reconciler then removes them (releaseAbandoned).
   */
  handOver(orderId: Types.ObjectId, items: OrderItem[]): void {
    for (const item of items) {
      const key = item.productId.toHexString();
      const entry = this.recorded.get(key) ?? { productId: item.productId, markers: [] };
      entry.markers.push(marker(orderId, item));
      this.recorded.set(key, entry);
    }
    this.removal ??= setTimeout(() => void this.removeRecordedMarkers(), MARKER_REMOVAL_BATCH_MS);
  }

  async removeRecordedMarkers(): Promise<void> {
    clearTimeout(this.removal);
    this.removal = undefined;
    const batch = [...this.recorded.values()];
    this.recorded.clear();
    for (const { productId, markers } of batch) {
      await this.products.settleReservations(productId, markers).catch((error: Error) =>
        // Harmless: the reconciler removes them once they are old enough.
        this.logger.warn(
          `markers of ${markers.length} orders left on ${productId}: ${error.message}`,
        ),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.removeRecordedMarkers();
  }

  /** Reconciler step: reservations left by dead placements. Returns how many it gave back. */
  async releaseAbandoned(now: Date): Promise<number> {
    let released = 0;
    for (const product of await this.products.findWithReservations()) {
      for (const entry of product.reservations) {
        const [orderHex, quantity] = entry.split(':');
        const orderId = new Types.ObjectId(orderHex);
        if (now.getTime() - orderId.getTimestamp().getTime() < ABANDONED_RESERVATION_MS) continue;
        if ((await this.orders.lapsePlacement(orderId)) === 'order') {
          // Killed after recording the order (or its batch of markers was lost): the units stay.
          await this.products.settleReservations(product._id, [entry]);
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

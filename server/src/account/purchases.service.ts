import { Injectable } from '@nestjs/common';
import { EntitlementsRepository } from '../orders/entitlements.repository';
import { OrdersRepository } from '../orders/orders.repository';
import { OrderDocument } from '../orders/schemas/order.schema';
import { PurchaseResponse } from './dto/purchase.dto';

/**
 * Orders read per round: first the newest noted alone (nearly always the answer: refunds are
 * rare), then the rest a few at a time.
 */
const FIRST_READ = 1;
const CANDIDATES_PER_READ = 4;

@Injectable()
export class PurchasesService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly entitlements: EntitlementsRepository,
  ) {}

  async find(userId: string, productId: string): Promise<PurchaseResponse> {
    const order = await this.findPurchase(userId, productId);
    return {
      purchased: order !== null,
      orderId: (order?.id as string) ?? null,
      paidAt: order?.paidAt ?? null,
    };
  }

  /**
   * The entitlement names every order that may be the purchase, in the order their moves to paid
   * began; the orders themselves say which is one (paid, not fully refunded, now). Newest first:
   * a shopper who bought the product 16 times has one order read, not 16. Two reads by `_id` in
   * the usual case, at any size of history.
   */
  private async findPurchase(userId: string, productId: string): Promise<OrderDocument | null> {
    const candidates = await this.entitlements.candidatesFor(userId, productId);
    if (candidates === null && !(await this.entitlements.isBackfilled()))
      return this.orders.findPurchaseByScan(userId, productId);
    let end = candidates?.length ?? 0;
    for (let size = FIRST_READ; end > 0; end -= size, size = CANDIDATES_PER_READ) {
      const newest = candidates!.slice(Math.max(0, end - size), end);
      const found = await this.orders.findPurchaseAmong(newest, userId, productId);
      if (found) return found;
    }
    return null;
  }
}

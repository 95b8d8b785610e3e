import { Injectable } from '@nestjs/common';
import { EntitlementsRepository } from '../orders/entitlements.repository';
import { OrdersRepository } from '../orders/orders.repository';
import { OrderDocument } from '../orders/schemas/order.schema';
import { PurchaseResponse } from './dto/purchase.dto';

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
   * The entitlement names every order that may be the purchase; the orders themselves say which
   * is (paid, not fully refunded, now). Two reads by `_id`, at any size of history.
   */
  private async findPurchase(userId: string, productId: string): Promise<OrderDocument | null> {
    const candidates = await this.entitlements.candidatesFor(userId, productId);
    if (candidates === null && !(await this.entitlements.isBackfilled()))
      return this.orders.findPurchaseByScan(userId, productId);
    if (!candidates?.length) return null;
    return this.orders.findPurchaseAmong(candidates, userId, productId);
  }
}

import { Injectable } from '@nestjs/common';
import { OrdersRepository } from '../orders/orders.repository';
import { PurchaseResponse } from './dto/purchase.dto';

@Injectable()
export class PurchasesService {
  constructor(private readonly orders: OrdersRepository) {}

  async find(userId: string, productId: string): Promise<PurchaseResponse> {
    const order = await this.orders.findPurchase(userId, productId);
    return {
      purchased: order !== null,
      orderId: (order?.id as string) ?? null,
      paidAt: order?.paidAt ?? null,
    };
  }
}

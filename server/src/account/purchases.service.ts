import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { OrdersRepository } from '../orders/orders.repository';

export class PurchaseResponse {
  purchased: boolean;
  @ApiProperty({ type: String, nullable: true }) orderId: string | null;
  @ApiProperty({ type: Date, nullable: true }) paidAt: Date | null;
}

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

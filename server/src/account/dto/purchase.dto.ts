import { ApiProperty } from '@nestjs/swagger';

export class PurchaseResponse {
  /** True only for a paid, not fully refunded order of this account that contains the product. */
  purchased: boolean;
  @ApiProperty({ type: String, nullable: true }) orderId: string | null;
  @ApiProperty({ type: Date, nullable: true }) paidAt: Date | null;
}

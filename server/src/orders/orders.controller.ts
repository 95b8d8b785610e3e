import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthenticatedUser, CurrentUser } from '../auth/authenticated-user';
import { parseIdempotencyKey } from '../common/idempotency-key';
import { ObjectIdPipe } from '../common/object-id.pipe';
import { RateLimit } from '../common/throttling';
import { CreateOrderDto, OrderResponse } from './dto/order.dto';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /**
   * Places an order priced from the catalog and reserves its stock (409 when short). With a bearer
   * token the order belongs to that account. A repeated Idempotency-Key returns the same order.
   */
  @Post()
  @RateLimit('orders')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key within 24 h → same order',
  })
  async create(
    @Body() dto: CreateOrderDto,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() user?: AuthenticatedUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<OrderResponse> {
    const { order, replayed } = await this.orders.create(
      dto,
      user,
      parseIdempotencyKey(idempotencyKey),
    );
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return order;
  }

  /** For the owner (bearer), a guest with the order's token in X-Order-Token, or an admin; 404 otherwise. */
  @Get(':id')
  @ApiHeader({ name: 'X-Order-Token', required: false })
  get(
    @Param('id', ObjectIdPipe) id: string,
    @CurrentUser() user?: AuthenticatedUser,
    @Headers('x-order-token') orderToken?: string,
  ): Promise<OrderResponse> {
    return this.orders.getVisible(id, user, orderToken);
  }
}

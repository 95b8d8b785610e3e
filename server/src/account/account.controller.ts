import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, RequireAuth } from '../auth/authenticated-user';
import { PageQueryDto } from '../common/dto/page-query.dto';
import { ObjectIdPipe } from '../common/object-id.pipe';
import { OrderPage } from '../orders/dto/order.dto';
import { OrdersService } from '../orders/orders.service';
import { PurchaseResponse } from './dto/purchase.dto';
import { PurchasesService } from './purchases.service';

@ApiTags('account')
@ApiBearerAuth()
@RequireAuth()
@Controller('me')
export class AccountController {
  constructor(
    private readonly orders: OrdersService,
    private readonly purchases: PurchasesService,
  ) {}

  /** The signed-in user's own orders, newest first. */
  @Get('orders')
  myOrders(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: PageQueryDto,
  ): Promise<OrderPage> {
    return this.orders.listForUser(user.id, query.page, query.limit);
  }

  /** Whether the signed-in user bought this product: a paid, not fully refunded order containing it. */
  @Get('purchases/:productId')
  purchase(
    @CurrentUser() user: AuthenticatedUser,
    @Param('productId', ObjectIdPipe) productId: string,
  ): Promise<PurchaseResponse> {
    return this.purchases.find(user.id, productId);
  }
}

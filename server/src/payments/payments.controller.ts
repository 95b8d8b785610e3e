import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OrderResponse } from '../orders/dto/order.dto';
import { VerifyPaymentDto } from './dto/verify-payment.dto';
import { PaymentsService } from './payments.service';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /**
   * Checks Razorpay Checkout's handler response (400 for a bad signature) and answers with the
   * order. `status: "paid"` only once Razorpay reports the payment captured (or the shop's own
   * capture of the authorised payment succeeded). If Razorpay cannot be asked right now, or the
   * capture is still in progress, the answer is still 200, with `status: "pending"` and
   * `paymentState: "confirming"`: the payment was received and is being confirmed; poll
   * `GET /api/orders/{id}` — webhooks or the reconciler settle it.
   */
  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: OrderResponse,
    description:
      'The order: paid, or pending with paymentState "confirming" while Razorpay confirms',
  })
  verify(@Body() dto: VerifyPaymentDto): Promise<OrderResponse> {
    return this.payments.verify(dto);
  }
}

import { OrderResponse } from './dto/order.dto';
import { PaymentState } from './order-status';
import { OrderDocument } from './schemas/order.schema';

/** Checkout closes this long before the order expires, so no payment starts on an order about to end. */
const CHECKOUT_MARGIN_SECONDS = 60;

export function toOrderResponse(
  order: OrderDocument,
  razorpayKeyId: string,
  accessToken?: string,
): OrderResponse {
  return {
    id: order.id as string,
    orderNumber: order.orderNumber ?? '',
    status: order.status,
    items: order.items.map((i) => ({
      productId: i.productId.toHexString(),
      name: i.name,
      unitPrice: i.unitPrice,
      quantity: i.quantity,
      lineTotal: i.lineTotal,
      imageUrl: i.imageUrl,
    })),
    amount: order.amount,
    amountRefunded: order.amountRefunded,
    currency: order.currency,
    customer: {
      name: order.customer.name,
      email: order.customer.email,
      contact: order.customer.contact,
    },
    razorpayOrderId: order.razorpayOrderId,
    razorpayKeyId,
    ...(accessToken ? { accessToken } : {}),
    expiresAt: order.expiresAt,
    paidAt: order.paidAt,
    lastPaymentError: order.lastPaymentError
      ? {
          code: order.lastPaymentError.code,
          description: order.lastPaymentError.description,
          reason: order.lastPaymentError.reason,
        }
      : null,
    refundRequired: openFlags(order).length > 0,
    paymentState: paymentStateOf(order),
    checkoutTimeoutSeconds: Math.max(
      0,
      Math.floor((order.expiresAt.getTime() - Date.now()) / 1000) - CHECKOUT_MARGIN_SECONDS,
    ),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    history: order.history.map((h) => ({
      status: h.status,
      at: h.at,
      source: h.source,
      note: h.note,
    })),
  };
}

function paymentStateOf(order: OrderDocument): PaymentState {
  switch (order.status) {
    case 'pending':
      if (order.confirmingPaymentId) return 'confirming';
      return order.lastPaymentError ? 'failed' : 'awaiting_payment';
    case 'expired':
    case 'cancelled':
      return 'closed';
    default:
      return 'settled';
  }
}

/** Flagged payments whose refund Razorpay has not accepted yet. */
export function openFlags(order: OrderDocument) {
  return order.flaggedPayments.filter(
    (f) => !order.refundedFlaggedPaymentIds.includes(f.paymentId),
  );
}

import { OrderResponse } from './dto/order.dto';
import { OrderDocument } from './schemas/order.schema';

export function toOrderResponse(
  order: OrderDocument,
  razorpayKeyId: string,
  accessToken?: string,
): OrderResponse {
  return {
    id: order.id as string,
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
    refundRequired: order.refundRequired,
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

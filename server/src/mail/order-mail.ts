import { Types } from 'mongoose';
import { OrderAccessTokens } from '../orders/order-access-token';
import { Order } from '../orders/schemas/order.schema';
import { MailSettings } from './mail-settings';
import { MailContext, MailOrder } from './mail-templates';

/** The parts of an order a mail is written from (a stored order, or one seed:history is writing). */
export type MailableOrder = Pick<
  Order,
  'orderNumber' | 'customer' | 'items' | 'amount' | 'amountRefunded' | 'userId'
> & { _id: Types.ObjectId };

export function toMailOrder(order: MailableOrder): MailOrder {
  return {
    orderNumber: order.orderNumber || order._id.toHexString(),
    customerName: order.customer.name,
    items: order.items.map((i) => ({
      name: i.name,
      quantity: i.quantity,
      unitPrice: i.unitPrice,
      lineTotal: i.lineTotal,
    })),
    amount: order.amount,
    amountRefunded: order.amountRefunded,
  };
}

export function orderMailContext(
  order: MailableOrder,
  settings: MailSettings,
  tokens: OrderAccessTokens,
): MailContext {
  const id = order._id.toHexString();
  // A guest has no account to sign in with: the link carries the order's access token.
  const query = order.userId ? '' : `?token=${encodeURIComponent(tokens.issue(id))}`;
  return { shopName: settings.shopName, orderUrl: `${settings.shopUrl}/orders/${id}${query}` };
}

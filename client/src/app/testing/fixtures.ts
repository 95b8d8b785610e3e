import { Order, Product } from '../api/api-types';

export function product(overrides: Partial<Product> = {}): Product {
  return {
    id: 'p1',
    name: 'Cotton Kurta',
    description: 'Soft handloom cotton.',
    price: 129900,
    currency: 'INR',
    imageUrl: '/images/products/cotton-kurta.svg',
    stock: 10,
    active: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 'o1',
    orderNumber: 'DK-000001',
    status: 'pending',
    items: [
      {
        productId: 'p1',
        name: 'Cotton Kurta',
        unitPrice: 129900,
        quantity: 1,
        lineTotal: 129900,
        imageUrl: '/images/products/cotton-kurta.svg',
      },
    ],
    amount: 129900,
    amountRefunded: 0,
    currency: 'INR',
    customer: { name: 'Asha Rao', email: 'asha@example.com', contact: '+919876543210' },
    razorpayOrderId: 'order_123',
    razorpayKeyId: 'rzp_test_key',
    accessToken: 'guest-token-1',
    expiresAt: '2026-01-01T00:30:00.000Z',
    paidAt: null,
    lastPaymentError: null,
    refundRequired: false,
    paymentState: 'awaiting_payment',
    checkoutTimeoutSeconds: 1740,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    history: [{ status: 'pending', at: '2026-01-01T00:00:00.000Z', source: 'checkout' }],
    ...overrides,
  };
}

/** Lets pending promise chains and the zoneless change detection run. */
export async function settle(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await fixture.whenStable();
  }
}

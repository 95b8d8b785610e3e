import { formatInr, orderPaidMail, paymentMethodLabel, refundMail } from './mail-templates';

describe('mail templates', () => {
  const order = {
    orderNumber: 'DK-000123',
    customerName: 'Asha <Rao>',
    items: [{ name: 'Kurta & dupatta', quantity: 3, unitPrice: 4115000, lineTotal: 12345000 }],
    amount: 12345000,
    amountRefunded: 0,
  };
  const ctx = { shopName: 'Dukaan', orderUrl: 'https://shop.example/orders/o1?token=a%2Fb' };

  it('should format paise as rupees with Indian digit grouping', () => {
    expect(formatInr(12345678901)).toBe('₹12,34,56,789.01');
    expect(formatInr(100)).toBe('₹1.00');
  });

  it('should name the shop, order number, lines, total, method and link in both parts', () => {
    const mail = orderPaidMail(order, paymentMethodLabel('upi'), ctx);
    expect(mail.subject).toBe('Dukaan: order DK-000123 is confirmed');
    expect(mail.text).toContain('3 × Kurta & dupatta (₹41,150.00 each): ₹1,23,450.00');
    expect(mail.text).toContain('Total paid: ₹1,23,450.00');
    expect(mail.text).toContain('Payment method: UPI');
    expect(mail.text).toContain(`See your order: ${ctx.orderUrl}`);
    expect(mail.html).toContain('Kurta &amp; dupatta');
    expect(mail.html).toContain('Asha &lt;Rao&gt;');
    expect(mail.html).not.toContain('<Rao>');
    expect(mail.html).toContain('href="https://shop.example/orders/o1?token=a%2Fb"');
  });

  it('should say how much a refund is and when it reaches the customer when it is normal speed', () => {
    const mail = refundMail(
      { ...order, amountRefunded: 5000000 },
      { amount: 5000000, instant: false },
      paymentMethodLabel('card'),
      ctx,
    );
    expect(mail.subject).toBe('Dukaan: refund of ₹50,000.00 for order DK-000123');
    expect(mail.text).toContain('original payment method (Card)');
    expect(mail.text).toContain('5–7 working days');
    expect(mail.text).toContain('Refunded in all: ₹50,000.00 of ₹1,23,450.00');
  });

  it('should call a refund of everything left the whole order when it is instant', () => {
    const mail = refundMail(
      { ...order, amountRefunded: order.amount },
      { amount: order.amount, instant: true },
      paymentMethodLabel(undefined),
      ctx,
    );
    expect(mail.text).toContain('(the whole order)');
    expect(mail.text).toContain('within a few minutes');
  });
});

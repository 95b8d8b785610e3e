/** What a mail says about an order: plain data, so the templates stay pure and easy to test. */
export interface MailOrder {
  orderNumber: string;
  customerName: string;
  items: { name: string; quantity: number; unitPrice: number; lineTotal: number }[];
  /** Integer paise. */
  amount: number;
  amountRefunded: number;
}

export interface MailContext {
  shopName: string;
  /** The order page; for a guest it carries the order's access token. */
  orderUrl: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const inr = new Intl.NumberFormat('en-IN', {
  style: 'currency',
  currency: 'INR',
  minimumFractionDigits: 2,
});

/** Integer paise as rupees in en-IN format: 123456789 → ₹12,34,567.89. */
export function formatInr(paise: number): string {
  return inr.format(paise / 100);
}

const METHOD_LABELS: Record<string, string> = {
  card: 'Card',
  upi: 'UPI',
  netbanking: 'Net banking',
  wallet: 'Wallet',
  emi: 'EMI',
  paylater: 'Pay later',
  cardless_emi: 'Cardless EMI',
  bank_transfer: 'Bank transfer',
};

/** Razorpay's `method` as a shopper reads it. */
export function paymentMethodLabel(method: string | undefined | null): string {
  if (!method) return 'Online payment (Razorpay)';
  return METHOD_LABELS[method] ?? method.replace(/_/g, ' ');
}

export function orderPaidMail(
  order: MailOrder,
  paymentMethod: string,
  ctx: MailContext,
): RenderedMail {
  const subject = `${ctx.shopName}: order ${order.orderNumber} is confirmed`;
  const intro = `Thank you, ${order.customerName}! We have received your payment and your order ${order.orderNumber} is confirmed.`;
  const facts: [string, string][] = [
    ['Order number', order.orderNumber],
    ['Total paid', formatInr(order.amount)],
    ['Payment method', paymentMethod],
  ];
  const lines = order.items.map(
    (i) => `${i.quantity} × ${i.name} (${formatInr(i.unitPrice)} each): ${formatInr(i.lineTotal)}`,
  );
  return compose(ctx, subject, intro, facts, { order, lines });
}

export function refundMail(
  order: MailOrder,
  refund: { amount: number; instant: boolean },
  paymentMethod: string,
  ctx: MailContext,
): RenderedMail {
  const full = order.amountRefunded >= order.amount;
  const when = refund.instant
    ? 'It should reach you within a few minutes.'
    : 'Banks usually take 5–7 working days to credit it.';
  const subject = `${ctx.shopName}: refund of ${formatInr(refund.amount)} for order ${order.orderNumber}`;
  const intro = `Hello ${order.customerName}, we have refunded ${formatInr(refund.amount)} for your order ${order.orderNumber}${full ? ' (the whole order)' : ''} to your original payment method (${paymentMethod}). ${when}`;
  const facts: [string, string][] = [
    ['Order number', order.orderNumber],
    ['Refunded now', formatInr(refund.amount)],
    ['Refunded in all', `${formatInr(order.amountRefunded)} of ${formatInr(order.amount)}`],
    ['Refunded to', paymentMethod],
  ];
  return compose(ctx, subject, intro, facts);
}

export function orderExpiredMail(order: MailOrder, ctx: MailContext): RenderedMail {
  const subject = `${ctx.shopName}: order ${order.orderNumber} was not paid`;
  const intro = `Hello ${order.customerName}, we did not receive a completed payment for your order ${order.orderNumber}, so it has been closed and nothing was charged for it. If money left your account, it is returned automatically.`;
  const facts: [string, string][] = [
    ['Order number', order.orderNumber],
    ['Order total', formatInr(order.amount)],
  ];
  const lines = order.items.map((i) => `${i.quantity} × ${i.name}: ${formatInr(i.lineTotal)}`);
  return compose(ctx, subject, intro, facts, { order, lines });
}

/** Every mail's shape: the intro, the order's lines if any, the facts, the order link. */
function compose(
  ctx: MailContext,
  subject: string,
  intro: string,
  facts: [string, string][],
  items?: { order: MailOrder; lines: string[] },
): RenderedMail {
  return {
    subject,
    text: [
      intro,
      '',
      ...(items ? [...items.lines, ''] : []),
      ...facts.map(([k, v]) => `${k}: ${v}`),
      '',
      `See your order: ${ctx.orderUrl}`,
      '',
      `— ${ctx.shopName}`,
    ].join('\n'),
    html: layout(
      ctx,
      subject,
      `<p>${esc(intro)}</p>${items ? itemsTable(items.order) : ''}${factList(facts)}${button(ctx.orderUrl, 'See your order')}`,
    ),
  };
}

function itemsTable(order: MailOrder): string {
  const rows = order.items
    .map(
      (i) =>
        `<tr><td style="padding:6px 8px">${esc(i.name)}</td><td style="padding:6px 8px;text-align:right">${i.quantity} × ${esc(formatInr(i.unitPrice))}</td><td style="padding:6px 8px;text-align:right">${esc(formatInr(i.lineTotal))}</td></tr>`,
    )
    .join('');
  return `<table role="presentation" style="border-collapse:collapse;width:100%;margin:16px 0"><thead><tr><th style="text-align:left;padding:6px 8px">Item</th><th style="text-align:right;padding:6px 8px">Quantity</th><th style="text-align:right;padding:6px 8px">Amount</th></tr></thead><tbody>${rows}</tbody><tfoot><tr><th colspan="2" style="text-align:right;padding:6px 8px">Total</th><th style="text-align:right;padding:6px 8px">${esc(formatInr(order.amount))}</th></tr></tfoot></table>`;
}

function factList(facts: [string, string][]): string {
  return `<ul style="padding-left:18px">${facts.map(([k, v]) => `<li><strong>${esc(k)}:</strong> ${esc(v)}</li>`).join('')}</ul>`;
}

function button(url: string, label: string): string {
  return `<p><a href="${esc(url)}" style="display:inline-block;padding:10px 16px;background:#1f6f50;color:#fff;text-decoration:none;border-radius:6px">${esc(label)}</a></p>`;
}

function layout(ctx: MailContext, title: string, body: string): string {
  return `<!doctype html><html lang="en-IN"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font-family:system-ui,sans-serif;color:#222;max-width:600px;margin:0 auto;padding:16px"><h1 style="font-size:20px">${esc(ctx.shopName)}</h1>${body}<p style="color:#666;font-size:12px">${esc(ctx.shopName)} · this mail is about an order placed with this address.</p></body></html>`;
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

import type { OrderRecord, PaymentRecord, RefundRecord } from './entities';
import type { SandboxSettings } from './settings';

/** Everything the sandbox remembers; in memory by design (the issue: "State is in memory"). */
export class SandboxState {
  orders = new Map<string, OrderRecord>();
  payments = new Map<string, PaymentRecord>();
  refunds = new Map<string, RefundRecord>();
  /** X-Refund-Idempotency key → request fingerprint and the refund it produced. */
  refundKeys = new Map<string, { fingerprint: string; refundId: string }>();
  settings: SandboxSettings;

  constructor(initial: SandboxSettings) {
    this.settings = { ...initial };
  }

  reset(initial: SandboxSettings): void {
    this.orders.clear();
    this.payments.clear();
    this.refunds.clear();
    this.refundKeys.clear();
    this.settings = { ...initial };
  }

  paymentsOf(orderId: string): PaymentRecord[] {
    return [...this.payments.values()].filter((p) => p.orderId === orderId);
  }

  refundsOf(paymentId: string): RefundRecord[] {
    return [...this.refunds.values()].filter((r) => r.paymentId === paymentId);
  }
}

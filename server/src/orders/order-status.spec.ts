import { ALLOWED_TRANSITIONS, ORDER_STATUSES, statusesAllowedBefore } from './order-status';

describe('order status rules', () => {
  it('should let only a pending order become paid, expired or cancelled', () => {
    expect(statusesAllowedBefore('paid', ['pending', 'expired', 'cancelled'])).toEqual(['pending']);
    expect(statusesAllowedBefore('expired')).toEqual(['pending']);
    expect(statusesAllowedBefore('cancelled')).toEqual(['pending']);
  });

  it('should never leave expired or cancelled', () => {
    expect(ALLOWED_TRANSITIONS.expired).toEqual([]);
    expect(ALLOWED_TRANSITIONS.cancelled).toEqual([]);
  });

  it('should only move into refund statuses from paid ones', () => {
    expect(statusesAllowedBefore('refunded')).toEqual(['paid', 'partially_refunded']);
    expect(statusesAllowedBefore('partially_refunded')).toEqual([
      'paid',
      'partially_refunded',
      'refunded',
    ]);
  });

  it('should name only known statuses in the table', () => {
    for (const targets of Object.values(ALLOWED_TRANSITIONS)) {
      for (const to of targets) expect(ORDER_STATUSES).toContain(to);
    }
  });
});

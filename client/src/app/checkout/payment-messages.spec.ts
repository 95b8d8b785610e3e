import { paymentFailureCodes, paymentFailureMessage } from './payment-messages';

describe('paymentFailureMessage', () => {
  it('should say in plain words what a known Razorpay reason means', () => {
    const message = paymentFailureMessage({
      code: 'BAD_REQUEST_ERROR',
      description: 'Your payment could not be completed due to insufficient account balance.',
      reason: 'insufficient_funds',
    });
    expect(message).toBe(
      'There isn’t enough balance in the account for this payment. Try another card, account or UPI app.',
    );
    expect(message).not.toMatch(/insufficient_funds|BAD_REQUEST_ERROR/);
  });

  it('should tell a cancelled payment from a failed one', () => {
    expect(paymentFailureMessage({ reason: 'payment_cancelled' })).toMatch(/cancelled/);
    expect(paymentFailureMessage({ reason: 'payment_failed' })).toMatch(/didn’t go through/);
    expect(paymentFailureMessage({ reason: 'payment_cancelled' })).not.toBe(
      paymentFailureMessage({ reason: 'payment_failed' }),
    );
  });

  it('should fall back to Razorpay’s own description when the reason is unknown', () => {
    expect(
      paymentFailureMessage({ reason: 'something_new', description: 'Try another method.' }),
    ).toBe('Try another method.');
  });

  it('should never show Razorpay’s "NA" placeholders', () => {
    expect(paymentFailureMessage({ reason: 'NA', description: 'NA', code: 'NA' })).toBe(
      'Your payment didn’t go through.',
    );
    expect(paymentFailureMessage(null)).toBe('Your payment didn’t go through.');
  });

  it('should match reasons whatever their case', () => {
    expect(paymentFailureMessage({ reason: 'CARD_DECLINED' })).toBe(
      paymentFailureMessage({ reason: 'card_declined' }),
    );
  });
});

describe('paymentFailureCodes', () => {
  it('should keep the reason and code for support, without placeholders', () => {
    expect(paymentFailureCodes({ reason: 'payment_failed', code: 'BAD_REQUEST_ERROR' })).toBe(
      'payment_failed · BAD_REQUEST_ERROR',
    );
    expect(paymentFailureCodes({ reason: 'NA', code: 'SERVER_ERROR' })).toBe('SERVER_ERROR');
    expect(paymentFailureCodes(undefined)).toBe('');
  });
});

/** What Razorpay told us about a failed payment (checkout's payment.failed or the order's lastPaymentError). */
export interface PaymentFailure {
  code?: string | null;
  description?: string | null;
  reason?: string | null;
}

const GENERIC = 'Your payment didn’t go through.';

// Razorpay's error.reason values (docs: errors/payments), in words a shopper can act on.
const BY_REASON: Record<string, string> = {
  payment_failed:
    'Your payment didn’t go through. If money left your account, it comes back automatically within 5–7 working days.',
  payment_cancelled: 'The payment was cancelled, so nothing was charged.',
  payment_timed_out: 'The payment took too long and timed out. Nothing was charged.',
  authentication_failed:
    'Your bank couldn’t confirm it was you (the OTP or password check failed). Please try again.',
  invalid_otp: 'The one-time password (OTP) wasn’t right. Try again with the OTP your bank sends.',
  incorrect_otp:
    'The one-time password (OTP) wasn’t right. Try again with the OTP your bank sends.',
  otp_expired: 'The one-time password (OTP) expired. Try again and enter the new one quickly.',
  insufficient_funds:
    'There isn’t enough balance in the account for this payment. Try another card, account or UPI app.',
  insufficient_fund:
    'There isn’t enough balance in the account for this payment. Try another card, account or UPI app.',
  card_declined: 'Your bank declined this card. Try another card, or pay with UPI or netbanking.',
  card_disabled_for_online_payments:
    'This card isn’t enabled for online payments. Turn them on in your bank’s app, or use another card.',
  card_not_enabled_for_online_payments:
    'This card isn’t enabled for online payments. Turn them on in your bank’s app, or use another card.',
  card_number_invalid: 'The card number doesn’t look right. Check it and try again.',
  invalid_card_number: 'The card number doesn’t look right. Check it and try again.',
  card_expired: 'This card has expired. Try another card.',
  incorrect_cvv: 'The CVV didn’t match. Check the 3-digit code on the back of your card.',
  invalid_cvv: 'The CVV didn’t match. Check the 3-digit code on the back of your card.',
  international_transaction_not_allowed:
    'This card can’t be used for this payment. Try another card, or pay with UPI or netbanking.',
  transaction_limit_exceeded:
    'This amount is above your card’s or bank’s limit. Try another card or payment method.',
  amount_exceeds_limit:
    'This amount is above your card’s or bank’s limit. Try another card or payment method.',
  payment_risk_check_failed:
    'The payment was stopped by a security check. Try another card or payment method.',
  bank_technical_error:
    'Your bank had a technical problem and couldn’t take the payment. Try again in a few minutes, or use another method.',
  gateway_technical_error:
    'Your bank had a technical problem and couldn’t take the payment. Try again in a few minutes, or use another method.',
  server_error: 'Something went wrong on the payment provider’s side. Please try again shortly.',
  upi_app_declined: 'Your UPI app declined the payment. Try again, or use another UPI app.',
  vpa_invalid: 'That UPI ID doesn’t look right. Check it and try again.',
  invalid_vpa: 'That UPI ID doesn’t look right. Check it and try again.',
  order_already_paid: 'This order has already been paid — you don’t need to pay again.',
};

/**
 * A sentence for the shopper. Known reasons get our own words; otherwise Razorpay's description,
 * which is written for customers; "NA" (Razorpay's "no mapping") never reaches the screen.
 */
export function paymentFailureMessage(failure: PaymentFailure | null | undefined): string {
  const reason = meaningful(failure?.reason)?.toLowerCase();
  if (reason && BY_REASON[reason]) return BY_REASON[reason];
  return meaningful(failure?.description) ?? GENERIC;
}

/** The codes for support, e.g. "payment_failed · BAD_REQUEST_ERROR"; empty when there are none. */
export function paymentFailureCodes(failure: PaymentFailure | null | undefined): string {
  return [meaningful(failure?.reason), meaningful(failure?.code)].filter(Boolean).join(' · ');
}

function meaningful(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v && v.toUpperCase() !== 'NA' ? v : null;
}

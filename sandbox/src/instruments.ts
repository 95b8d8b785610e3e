import type { CardDetails, PaymentError, PaymentMethod } from './entities';
import { newId } from './ids';

/** What the shopper typed in the modal (or a `_sandbox/payments` caller passed). */
export interface InstrumentInput {
  card_number?: string;
  otp?: string;
  vpa?: string;
  bank?: string;
  wallet?: string;
  /** Pay-later / cardless-EMI provider. */
  provider?: string;
  /** UPI: `collect` (a VPA was entered; the default) or `intent` (an app was opened). */
  flow?: string;
}

export interface ResolvedInstrument {
  card: CardDetails | null;
  bank: string | null;
  wallet: string | null;
  vpa: string | null;
  upiFlow: 'collect' | 'intent' | null;
  provider: string | null;
  /** Set when the test instrument itself dictates a failure (error cards, failure@razorpay, short OTP). */
  forcedError: PaymentError | null;
}

// Generic failure: the test-mode UPI failure sample (razorpay.md §2.1).
export const GENERIC_FAILURE: PaymentError = {
  code: 'BAD_REQUEST_ERROR',
  description:
    'Payment was unsuccessful due to a temporary issue. If amount got deducted, it will be refunded within 5-7 working days.',
  source: 'gateway',
  step: 'payment_response',
  reason: 'payment_failed',
};

// Used for the first (failed) leg of a late authorisation. Wording UNCONFIRMED.
export const TIMED_OUT_FAILURE: PaymentError = {
  code: 'BAD_REQUEST_ERROR',
  description: 'Your payment could not be completed on time. Try again later.',
  source: 'customer',
  step: 'payment_authentication',
  reason: 'payment_timed_out',
};

const INVALID_OTP: PaymentError = {
  code: 'BAD_REQUEST_ERROR',
  description: 'Authentication failed due to incorrect otp',
  source: 'customer',
  step: 'payment_authentication',
  reason: 'invalid_otp',
};

const cardError = (
  reason: string,
  description: string,
  code = 'BAD_REQUEST_ERROR',
  source = 'customer',
  step = 'payment_authorization',
): PaymentError => ({ code, description, source, step, reason });

// Razorpay's documented test error cards (razorpay.md §8); descriptions are ours (UNCONFIRMED).
const ERROR_CARDS: Record<string, PaymentError> = {};
const addCards = (numbers: string[], error: PaymentError) =>
  numbers.forEach((n) => (ERROR_CARDS[n] = error));
addCards(
  ['4100280000090000', '5305620000060000'],
  cardError(
    'payment_timed_out',
    TIMED_OUT_FAILURE.description,
    undefined,
    undefined,
    'payment_authentication',
  ),
);
addCards(
  ['4100280000080001', '5305620000050001'],
  cardError(
    'insufficient_funds',
    'Your payment could not be completed due to insufficient account balance. Try again with another account.',
  ),
);
addCards(
  ['4100280000070002', '5305620000040002'],
  cardError(
    'payment_cancelled',
    'Your payment has been cancelled. Try again or complete the payment later.',
    undefined,
    undefined,
    'payment_authentication',
  ),
);
addCards(
  [
    '4100280000060003',
    '4100280000050004',
    '4100280000040005',
    '5305620000030003',
    '5305620000020004',
    '5305620000010005',
  ],
  cardError(
    'card_declined',
    'Your payment has been declined by your bank. Try again with another card or payment method.',
    undefined,
    'issuer',
  ),
);
addCards(
  ['4100280000030006', '5305620000000006'],
  cardError(
    'card_disabled_for_online_payments',
    'Your payment could not be completed as this card is not enabled for online payments. Try another card.',
  ),
);
addCards(
  ['4100280000010008', '5305620000080008'],
  cardError(
    'card_number_invalid',
    'Your payment has failed due to invalid card number. Try again with a valid card number.',
    undefined,
    undefined,
    'payment_initiation',
  ),
);
addCards(
  ['4100280000020007', '5305620000090007'],
  cardError(
    'gateway_technical_error',
    'Your payment could not be completed due to a technical issue at the bank. Try again after some time.',
    'GATEWAY_ERROR',
    'gateway',
  ),
);
addCards(
  ['4100280000000009', '5305620000070009'],
  cardError(
    'authentication_failed',
    'Your payment could not be completed as the card authentication failed. Try again.',
    'GATEWAY_ERROR',
    undefined,
    'payment_authentication',
  ),
);

export const DEFAULT_TEST_CARD = '4100280000001007';

function network(number: string): string {
  if (number.startsWith('4')) return 'Visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'MasterCard';
  if (/^3[47]/.test(number)) return 'American Express';
  if (/^3(0|6|8)/.test(number)) return 'Diners Club';
  if (/^(60|65|81|82|508)/.test(number)) return 'RuPay';
  return 'Unknown';
}

function cardFor(number: string, emi: boolean): CardDetails {
  return {
    id: newId('card'),
    name: '',
    last4: number.slice(-4),
    network: network(number),
    type: 'credit',
    iin: number.slice(0, 6),
    emi,
  };
}

export function resolveInstrument(
  method: PaymentMethod,
  input: InstrumentInput,
  outcome: 'success' | 'failure',
): ResolvedInstrument {
  const none = {
    card: null,
    bank: null,
    wallet: null,
    vpa: null,
    upiFlow: null,
    provider: null,
    forcedError: null,
  };
  switch (method) {
    case 'card':
    case 'emi': {
      const number = (input.card_number ?? DEFAULT_TEST_CARD).replace(/[\s-]/g, '');
      // Mock bank page rule: an OTP of fewer than 4 digits fails (razorpay.md §8).
      const otp = input.otp?.trim();
      const badOtp =
        outcome === 'success' && otp !== undefined && otp !== '' && !/^\d{4,10}$/.test(otp);
      return {
        ...none,
        card: cardFor(number, method === 'emi'),
        forcedError: ERROR_CARDS[number] ?? (badOtp ? INVALID_OTP : null),
      };
    }
    case 'upi': {
      const vpa = input.vpa ?? (outcome === 'success' ? 'success@razorpay' : 'failure@razorpay');
      const upiFlow = input.flow === 'intent' ? 'intent' : 'collect';
      return {
        ...none,
        vpa,
        upiFlow,
        forcedError: vpa === 'failure@razorpay' ? GENERIC_FAILURE : null,
      };
    }
    case 'netbanking':
      return { ...none, bank: input.bank ?? 'HDFC' };
    case 'wallet':
      return { ...none, wallet: input.wallet ?? 'freecharge' };
    case 'paylater':
      // The API sample (razorpay.md §2.1, fixture 052) carries the provider in `wallet`.
      return { ...none, wallet: input.provider ?? input.wallet ?? 'rzpx_postpaid' };
    case 'cardless_emi':
      return { ...none, provider: input.provider ?? 'zestmoney' };
    case 'bank_transfer':
      return { ...none };
  }
}

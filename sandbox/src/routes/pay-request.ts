import type { PayRequest } from '../engine';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Maps a modal or `_sandbox/payments` body onto the engine's payment request. */
export function payRequest(body: Record<string, unknown>): PayRequest {
  return {
    orderId: body.order_id,
    outcome: body.outcome,
    method: body.method,
    instrument: {
      card_number: str(body.card_number),
      otp: str(body.otp),
      vpa: str(body.vpa),
      bank: str(body.bank),
      wallet: str(body.wallet),
      provider: str(body.provider),
      flow: str(body.flow),
    },
    customer: {
      email: str(body.email),
      contact: str(body.contact),
      description: str(body.description) ?? null,
    },
  };
}

import type { PropertyStack } from './stack';

/**
 * What the running shop and sandbox support. Some controls land while this test is written; the
 * commands that need a missing one are left out of the generated set (and the run says so).
 */
export interface Features {
  /** POST /_sandbox/flush runs every scheduled effect now. */
  flush: boolean;
  /** POST /_sandbox/payments {outcome: 'pending'} and POST /_sandbox/payments/:id/complete. */
  pendingPayments: boolean;
  /** API faults that apply the effect and then fail or drop the answer. */
  commitThenDrop: boolean;
  commitThenError: boolean;
  /** PUT /_sandbox/settings {captureDelayMs, refundProcessDelayMs, deliveryProfile, deliverySeed}. */
  captureDelay: boolean;
  refundProcessDelay: boolean;
  deliveryProfile: boolean;
  /** POST /api/products/:id/stock-adjustments. */
  stockAdjustments: boolean;
}

export async function detectFeatures(
  stack: PropertyStack,
  probeProductId: string,
  adminToken: string,
): Promise<Features> {
  const sb = (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object) =>
    stack
      .sandbox(method, path)
      .send(body ?? {})
      .then((r) => r.status);
  const faultType = async (type: string) => {
    const status = await sb('post', '/_sandbox/faults', { target: 'api', type, match: 'probe' });
    return status === 201;
  };
  const setting = async (patch: object) => (await sb('put', '/_sandbox/settings', patch)) === 200;

  const flush = (await sb('post', '/_sandbox/flush')) < 300;
  const order = await stack
    .sandbox('post', '/v1/orders')
    .send({ amount: 10000, currency: 'INR', receipt: 'feature-probe' });
  let pendingPayments = false;
  if (order.status === 200) {
    const paid = await stack
      .sandbox('post', '/_sandbox/payments')
      .send({ order_id: (order.body as { id: string }).id, outcome: 'pending' });
    const paymentId = (paid.body as { razorpay_payment_id?: string; id?: string })
      .razorpay_payment_id;
    pendingPayments =
      paid.status === 200 &&
      !!paymentId &&
      (await sb('post', `/_sandbox/payments/${paymentId}/complete`, { outcome: 'failure' })) < 300;
  }
  const commitThenDrop = await faultType('commit_then_drop');
  const commitThenError = await faultType('commit_then_error');
  await sb('delete', '/_sandbox/faults');
  // Probes, not opt-outs: each non-default value is set only to learn whether the sandbox knows
  // the setting, and the Razorpay-like values read first are put back right after.
  const before = (await stack.sandbox('get', '/_sandbox/settings').send()).body as Record<
    string,
    unknown
  >;
  const captureDelay = await setting({ captureDelayMs: 0 }); // probe; restored below
  const refundProcessDelay = await setting({ refundProcessDelayMs: 0 }); // probe; restored below
  const deliveryProfile = await setting({ deliveryProfile: 'calm' }); // probe; restored below
  await setting({
    captureDelayMs: before.captureDelayMs,
    refundProcessDelayMs: before.refundProcessDelayMs,
    deliveryProfile: before.deliveryProfile,
  });

  const adjust = await stack
    .http()
    .post(`/api/products/${probeProductId}/stock-adjustments`)
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ delta: 1, reason: 'feature probe' });
  const stockAdjustments = adjust.status >= 200 && adjust.status < 300;

  return {
    flush,
    pendingPayments,
    commitThenDrop,
    commitThenError,
    captureDelay,
    refundProcessDelay,
    deliveryProfile,
    stockAdjustments,
  };
}

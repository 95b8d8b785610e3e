import { Router, type RequestHandler } from 'express';
import { checkPublicKey } from '../auth';
import { checkoutScript } from '../checkout-script';
import type { SandboxEngine } from '../engine';
import { validation } from '../errors';
import { getOrder } from '../orders';
import { asBody } from '../validate';
import { payRequest } from './pay-request';

// Pages on other origins (standalone sandbox, test pages) load the script and call these;
// no cookies or secrets are involved, so a wildcard origin is safe.
const cors: RequestHandler = (req, res, next) => {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'content-type',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
};

/** checkout.js and the browser endpoints it calls, authenticated by the public key id only. */
export function checkoutRoutes(engine: SandboxEngine, keyId: string): Router {
  const router = Router();
  const script = checkoutScript();

  router.get('/checkout.js', cors, (_req, res) => {
    res.type('application/javascript; charset=utf-8').set('Cache-Control', 'no-cache').send(script);
  });
  router.use('/checkout', cors);
  router.get('/checkout/orders/:id', (req, res) => {
    checkPublicKey(req, keyId);
    const order = getOrder(engine.state, req.params.id);
    res.json({
      id: order.id,
      amount: order.amount,
      amount_due: order.amount - order.amountPaid,
      currency: order.currency,
      status: order.status,
    });
  });
  router.post('/checkout/payments', async (req, res) => {
    checkPublicKey(req, keyId);
    const body = asBody(req.body);
    // The modal offers Success and Failure only; "pending" is a test control.
    if (body.outcome !== 'success' && body.outcome !== 'failure') {
      throw validation('outcome must be "success" or "failure"', 'outcome');
    }
    res.json(await engine.pay(payRequest(body)));
  });
  return router;
}

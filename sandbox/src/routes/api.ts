import { Router, type Request } from 'express';
import { collection, orderJson, paymentJson, refundJson } from '../entities';
import type { SandboxEngine } from '../engine';
import { notExist } from '../errors';
import { createOrder, getOrder, listOrders } from '../orders';
import { getPayment, listPayments } from '../payments';
import { getRefund, listRefunds } from '../refunds';
import { asBody, notesField, rejectExtraFields } from '../validate';

const query = (req: Request) => req.query as Record<string, unknown>;

/** `expand[]=card` arrives in several query shapes depending on the client's serializer. */
const expands = (req: Request, what: string): boolean =>
  Object.entries(req.query).some(
    ([k, v]) => k.startsWith('expand') && JSON.stringify(v).includes(what),
  );

/** The `/v1` API as the official SDK calls it (razorpay.md §1–2). */
export function apiRoutes(engine: SandboxEngine): Router {
  const { state } = engine;
  const router = Router();

  router.post('/v1/orders', (req, res) => {
    res.json(orderJson(createOrder(state, asBody(req.body))));
  });
  router.get('/v1/orders', (req, res) => {
    res.json(collection(listOrders(state, query(req)).map(orderJson)));
  });
  router.get('/v1/orders/:id', (req, res) => {
    res.json(orderJson(getOrder(state, req.params.id)));
  });
  router.patch('/v1/orders/:id', (req, res) => {
    const order = getOrder(state, req.params.id);
    const body = asBody(req.body);
    rejectExtraFields(body, ['notes']);
    order.notes = notesField(body.notes, state.settings);
    res.json(orderJson(order));
  });
  router.get('/v1/orders/:id/payments', (req, res) => {
    const order = getOrder(state, req.params.id);
    res.json(collection(state.paymentsOf(order.id).map((p) => paymentJson(p))));
  });

  router.get('/v1/payments', (req, res) => {
    res.json(collection(listPayments(state, query(req)).map((p) => paymentJson(p))));
  });
  router.get('/v1/payments/:id', (req, res) => {
    res.json(paymentJson(getPayment(state, req.params.id), { card: expands(req, 'card') }));
  });
  router.post('/v1/payments/:id/capture', (req, res) => {
    res.json(paymentJson(engine.captureFromApi(req.params.id, asBody(req.body))));
  });
  router.post('/v1/payments/:id/refund', (req, res) => {
    const key = req.get('x-refund-idempotency');
    const { refund } = engine.refund({
      paymentId: req.params.id,
      body: asBody(req.body),
      idempotencyKey: key === undefined ? undefined : key,
    });
    res.json(refundJson(refund));
  });
  router.get('/v1/payments/:id/refunds', (req, res) => {
    res.json(collection(listRefunds(state, req.params.id, query(req)).map(refundJson)));
  });
  router.get('/v1/payments/:id/refunds/:refundId', (req, res) => {
    const payment = getPayment(state, req.params.id);
    const refund = getRefund(state, req.params.refundId);
    if (refund.paymentId !== payment.id) throw notExist();
    res.json(refundJson(refund));
  });

  router.get('/v1/refunds', (req, res) => {
    res.json(collection(listRefunds(state, null, query(req)).map(refundJson)));
  });
  router.get('/v1/refunds/:id', (req, res) => {
    res.json(refundJson(getRefund(state, req.params.id)));
  });
  return router;
}

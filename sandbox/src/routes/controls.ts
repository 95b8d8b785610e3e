import { Router } from 'express';
import type { SandboxEngine } from '../engine';
import { notExist, validation } from '../errors';
import { asBody } from '../validate';
import { eventJson, WEBHOOK_EVENTS } from '../webhooks/events';
import { payRequest } from './pay-request';

/** `/_sandbox/*`: test and demo controls, behind the same Basic auth as the API. */
export function controlRoutes(engine: SandboxEngine): Router {
  const router = Router();

  router.post('/_sandbox/payments', async (req, res) => {
    res.json(await engine.pay(payRequest(asBody(req.body))));
  });
  router.post('/_sandbox/payments/:id/complete', (req, res) => {
    res.json(engine.completePending(req.params.id, asBody(req.body).outcome));
  });

  router.post('/_sandbox/flush', async (req, res) => {
    res.json(await engine.flush(asBody(req.body).kinds));
  });
  router.get('/_sandbox/scheduled', (_req, res) => {
    const items = engine.scheduler.list();
    res.json({ entity: 'collection', count: items.length, items });
  });

  router.get('/_sandbox/faults', (_req, res) => {
    res.json({ entity: 'collection', items: engine.faults.list() });
  });
  router.post('/_sandbox/faults', (req, res) => {
    res.status(201).json(engine.faults.add(asBody(req.body)));
  });
  router.delete('/_sandbox/faults', (_req, res) => {
    const cleared = engine.faults.list().length;
    engine.faults.clear();
    engine.webhooks.releaseHeld(); // don't strand events held by a half-used `reorder`
    res.json({ cleared });
  });

  router.get('/_sandbox/events', (req, res) => {
    const orderId = typeof req.query.order_id === 'string' ? req.query.order_id : undefined;
    const event = typeof req.query.event === 'string' ? req.query.event : undefined;
    const items = engine.webhooks.list({ order_id: orderId, event }).map(eventJson);
    res.json({ entity: 'collection', count: items.length, items });
  });
  router.get('/_sandbox/events/:id', (req, res) => {
    const ev = engine.webhooks.get(req.params.id);
    if (!ev) throw notExist();
    res.json(eventJson(ev));
  });
  router.post('/_sandbox/events/:id/resend', (req, res) => {
    const ev = engine.webhooks.get(req.params.id);
    if (!ev) throw notExist();
    if (!engine.webhooks.resend(ev)) {
      throw validation('The webhook endpoint is disabled or has no URL; enable it first.');
    }
    res.status(202).json({ id: ev.id, event: ev.event, resent: true });
  });
  router.post('/_sandbox/trigger', (req, res) => {
    const body = asBody(req.body);
    res.status(201).json(eventJson(engine.trigger(body.event, body.order_id)));
  });

  router.get('/_sandbox/endpoint', (_req, res) => {
    res.json(engine.webhooks.getEndpoint());
  });
  router.put('/_sandbox/endpoint', (req, res) => {
    const body = asBody(req.body);
    if (body.url !== undefined && body.url !== null && typeof body.url !== 'string') {
      throw validation('url must be a string', 'url');
    }
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') {
      throw validation('enabled must be a boolean', 'enabled');
    }
    const events = body.events;
    if (
      events !== undefined &&
      events !== null &&
      (!Array.isArray(events) ||
        events.some((e) => !(WEBHOOK_EVENTS as readonly unknown[]).includes(e)))
    ) {
      throw validation(`events must be null or a list of ${WEBHOOK_EVENTS.join(', ')}`, 'events');
    }
    res.json(
      engine.webhooks.setEndpoint({
        url: body.url as string | null | undefined,
        enabled: body.enabled as boolean | undefined,
        events: events as string[] | null | undefined,
      }),
    );
  });

  router.get('/_sandbox/settings', (_req, res) => {
    res.json(engine.state.settings);
  });
  router.put('/_sandbox/settings', (req, res) => {
    res.json(engine.updateSettings(asBody(req.body)));
  });

  router.post('/_sandbox/reset', (_req, res) => {
    engine.reset();
    res.json({ reset: true });
  });
  return router;
}

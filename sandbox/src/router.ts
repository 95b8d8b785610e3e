import { Router, type ErrorRequestHandler, type Response } from 'express';
import { apiFaults } from './api-faults';
import { basicAuth } from './auth';
import { bodyParsers } from './body';
import type { SandboxEngine } from './engine';
import { RazorpayError, serverError, urlNotFound, validation } from './errors';
import { apiRoutes } from './routes/api';
import { checkoutRoutes } from './routes/checkout';
import { controlRoutes } from './routes/controls';

export interface RouterDeps {
  engine: SandboxEngine;
  keyId: string;
  keySecret: string;
  hanging: Set<Response>;
  delayed: Set<NodeJS.Timeout>;
  log: (line: string) => void;
}

/** Everything under the mount point: public checkout first, then Basic-auth API and controls. */
export function buildRouter({
  engine,
  keyId,
  keySecret,
  hanging,
  delayed,
  log,
}: RouterDeps): Router {
  const router = Router();
  router.use(...bodyParsers());
  router.use(checkoutRoutes(engine, keyId));
  router.use(basicAuth(keyId, keySecret));
  router.use(apiFaults(engine.faults, hanging, delayed));
  router.use(apiRoutes(engine));
  router.use(controlRoutes(engine));
  router.use(() => {
    throw urlNotFound();
  });
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    let error: RazorpayError;
    if (err instanceof RazorpayError) error = err;
    else if ((err as { type?: string }).type === 'entity.parse.failed') {
      error = validation('The request body is not valid JSON.');
    } else {
      log(`[razorpay-sandbox] internal error: ${(err as Error)?.stack ?? String(err)}`);
      error = serverError();
    }
    res.status(error.status).json(error.body);
  };
  router.use(onError);
  return router;
}

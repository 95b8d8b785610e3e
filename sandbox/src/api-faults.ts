import type { RequestHandler, Response } from 'express';
import { rateLimited, serverError } from './errors';
import { API_FAULTS, type FaultStore } from './faults';

/**
 * Applies armed `api` faults to `/v1/*` calls. `match` is tested against "METHOD /v1/path".
 * Hung responses are kept so `close()` can drop them.
 */
export function apiFaults(faults: FaultStore, hanging: Set<Response>): RequestHandler {
  return (req, res, next) => {
    if (!req.path.startsWith('/v1/')) return next();
    const fault = faults.take('api', API_FAULTS, `${req.method} ${req.path}`);
    if (!fault) return next();
    switch (fault.type) {
      case 'latency': {
        const timer = setTimeout(() => next(), fault.delayMs ?? 0);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'hang':
        // Never answer: the client's own timeout is what is being tested.
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      case 'rate_limit':
        return next(rateLimited());
      default:
        return next(serverError(fault.status ?? 500));
    }
  };
}

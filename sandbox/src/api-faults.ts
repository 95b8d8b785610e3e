import type { RequestHandler, Response } from 'express';
import { rateLimited, serverError } from './errors';
import { API_FAULTS, type FaultStore } from './faults';

/**
 * Applies armed `api` faults to `/v1/*` calls. `match` is tested against "METHOD /v1/path".
 * Hung responses are kept so `close()` can drop them; delayed requests so `close()` can cancel.
 *
 * Effects outlive the client, as on Razorpay: a `latency` request is applied after its delay even
 * if the caller gave up, and the `commit_then_*` faults apply the request and then lose the
 * answer (an error status, or a dropped connection): the caller cannot tell whether it happened.
 */
export function apiFaults(
  faults: FaultStore,
  hanging: Set<Response>,
  delayed: Set<NodeJS.Timeout>,
): RequestHandler {
  return (req, res, next) => {
    if (!req.path.startsWith('/v1/')) return next();
    const fault = faults.take('api', API_FAULTS, `${req.method} ${req.path}`);
    if (!fault) return next();
    switch (fault.type) {
      case 'latency': {
        const timer = setTimeout(() => {
          delayed.delete(timer);
          next();
        }, fault.delayMs ?? 0);
        delayed.add(timer);
        return;
      }
      case 'hang':
        // Never answer: the client's own timeout is what is being tested.
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      case 'rate_limit':
        return next(rateLimited());
      case 'commit_then_error':
      case 'commit_then_drop': {
        const send = res.json.bind(res);
        res.json = (body: unknown) => {
          // A request that failed committed nothing: its own error goes out unchanged.
          if (res.statusCode >= 400) return send(body);
          if (fault.type === 'commit_then_drop') {
            res.socket?.destroy();
            return res;
          }
          const error = serverError(fault.status ?? 500);
          return res.status(error.status).json(error.body);
        };
        return next();
      }
      default:
        return next(serverError(fault.status ?? 500));
    }
  };
}

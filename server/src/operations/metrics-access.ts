import { CanActivate, ExecutionContext, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestWithUser } from '../auth/authenticated-user';
import { DomainException } from '../common/domain.exception';
import { AppConfig } from '../config/app-config';

type MetricsRequest = RequestWithUser & { metricsTokenAccepted?: boolean };

/**
 * Accepts `Authorization: Bearer <METRICS_TOKEN>` for the metrics route. The token is no JWT, so it
 * is taken off the request once accepted: the global AuthGuard would reject it as a bad token.
 */
@Injectable()
export class MetricsTokenMiddleware implements NestMiddleware {
  constructor(private readonly config: AppConfig) {}

  use(req: Request, _res: Response, next: NextFunction): void {
    const expected = this.config.get('METRICS_TOKEN');
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (expected && given && sameSecret(given, expected)) {
      delete req.headers.authorization;
      (req as MetricsRequest).metricsTokenAccepted = true;
    }
    next();
  }
}

/** The metrics token, or a signed-in admin: 401 without credentials, 403 for anyone else. */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<MetricsRequest>();
    if (req.metricsTokenAccepted) return true;
    if (!req.user)
      throw new DomainException(
        'AUTH_REQUIRED',
        'Send Authorization: Bearer <METRICS_TOKEN> or an admin access token',
      );
    if (req.user.role !== 'admin')
      throw new DomainException('FORBIDDEN', 'Metrics are for operators only');
    return true;
  }
}

/** Constant-time comparison of two secrets of any length (hashing evens the lengths out). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

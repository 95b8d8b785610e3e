import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { Role } from './schemas/user.schema';

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export type RequestWithUser = Request & { user?: AuthenticatedUser };

export const REQUIRED_ROLE = 'auth:requiredRole';

/** The route needs a signed-in user; with a role, that role (403 otherwise). Without it, a token is optional. */
export const RequireAuth = (role: Role | 'any' = 'any') => SetMetadata(REQUIRED_ROLE, role);

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedUser | undefined =>
    ctx.switchToHttp().getRequest<RequestWithUser>().user,
);

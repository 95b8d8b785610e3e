import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainException } from '../common/domain.exception';
import { AuthenticatedUser, REQUIRED_ROLE, RequestWithUser } from './authenticated-user';
import { Role } from './schemas/user.schema';

interface TokenClaims {
  sub: string;
  email: string;
  name: string;
  role: Role;
}

/** Global guard: reads a bearer token when present (a bad one is always 401) and enforces @RequireAuth. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    const token = bearerToken(request.headers.authorization);
    if (token) request.user = await this.verify(token);
    const required = this.reflector.getAllAndOverride<Role | 'any' | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    if (!request.user) throw new DomainException('AUTH_REQUIRED', 'Sign in to continue');
    if (required !== 'any' && request.user.role !== required) {
      throw new DomainException('FORBIDDEN', 'You do not have access to this resource');
    }
    return true;
  }

  private async verify(token: string): Promise<AuthenticatedUser> {
    try {
      const claims = await this.jwt.verifyAsync<TokenClaims>(token);
      return { id: claims.sub, email: claims.email, name: claims.name, role: claims.role };
    } catch {
      throw new DomainException('AUTH_REQUIRED', 'The access token is invalid or has expired');
    }
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

import { CanActivate, ExecutionContext, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { Role } from '../users/role';
import { AuthService } from './auth.service';
import { AuthUser } from './auth-user';
import { BEFORE_PASSWORD_CHANGE_KEY, PUBLIC_KEY, ROLES_KEY, SESSION_COOKIE } from './access.decorators';

export function sessionTokenOf(request: Request): string | null {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, value] = header.split(' ');
    return scheme?.toLowerCase() === 'bearer' && value ? value.trim() : null;
  }
  const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  return cookie || null;
}

/**
 * One guard for every route. A route is reachable only if it is marked @Public() or names its roles
 * with @Roles(); a route that forgot both is closed, and the mistake is logged. A person who must
 * change their password reaches only the routes marked @AllowedBeforePasswordChange().
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const token = sessionTokenOf(request);
    if (!token) {
      throw new AppError(ErrorCode.AuthRequired, 'Sign in to continue.', HttpStatus.UNAUTHORIZED);
    }
    const user = await this.auth.authenticate(token);
    request.user = user;

    if (!roles || roles.length === 0) {
      this.logger.error(`Route ${request.method} ${request.route?.path ?? request.path} declares no roles; denied.`);
      throw AppError.forbidden('This route is closed.');
    }
    if (!roles.includes(user.role)) throw AppError.forbidden();
    // A temporary password was read aloud or printed: until it is replaced it opens nothing else.
    if (user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(BEFORE_PASSWORD_CHANGE_KEY, targets)) {
      throw new AppError(ErrorCode.PasswordChangeRequired, 'Choose a new password first (POST /api/auth/me/password); until then nothing else is open.', HttpStatus.FORBIDDEN);
    }
    return true;
  }
}

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Role } from '../users/role';

/** The signed-in person, as the guard attached it to the request. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  communeId: string | null;
  /** Set by an admin's reset or at creation: until then the person may only change their password. */
  mustChangePassword: boolean;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
  if (!user) throw new Error('CurrentUser used on a route without a signed-in user');
  return user;
});

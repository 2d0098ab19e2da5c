import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '../users/role';
import { AllowedBeforePasswordChange, AnyRole, Public, Roles } from './access.decorators';
import { AccessGuard } from './access.guard';
import { AuthService } from './auth.service';

@Controller()
class Routes {
  @Get() @Public() open(): void {}
  @Get() @Roles(Role.Admin) adminsOnly(): void {}
  @Get() @AnyRole() anyone(): void {}
  @Get() forgotten(): void {}
  @Get() @AnyRole() @AllowedBeforePasswordChange() changePassword(): void {}
}

function contextFor(handler: keyof Routes, authorization?: string): ExecutionContext {
  const request = { headers: authorization ? { authorization } : {}, cookies: {}, method: 'GET', path: `/${handler}` };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('AccessGuard', () => {
  const editor = { id: 'u1', username: 'dara', role: Role.Editor, communeId: null, mustChangePassword: false };
  const newcomer = { ...editor, id: 'u2', mustChangePassword: true };
  const auth = {
    authenticate: jest.fn(async (token: string) => {
      if (token === 'good') return editor;
      if (token === 'temporary') return newcomer;
      throw new Error('bad token');
    }),
  };
  const guard = new AccessGuard(new Reflector(), auth as unknown as AuthService);

  it('lets anyone through a public route without looking at a token', async () => {
    await expect(guard.canActivate(contextFor('open'))).resolves.toBe(true);
    expect(auth.authenticate).not.toHaveBeenCalled();
  });

  it('asks a signed-out caller to sign in', async () => {
    await expect(guard.canActivate(contextFor('anyone'))).rejects.toMatchObject({ code: 'AUTH_REQUIRED', status: 401 });
  });

  it('admits a role the route names and refuses one it does not', async () => {
    await expect(guard.canActivate(contextFor('anyone', 'Bearer good'))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor('adminsOnly', 'Bearer good'))).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('closes a route that declares no roles, even to a signed-in user', async () => {
    await expect(guard.canActivate(contextFor('forgotten', 'Bearer good'))).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('ignores an Authorization header that is not a bearer token', async () => {
    await expect(guard.canActivate(contextFor('anyone', 'Basic ZGFyYTpwdw=='))).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('opens only the routes marked for it while a temporary password is in use', async () => {
    await expect(guard.canActivate(contextFor('anyone', 'Bearer temporary'))).rejects.toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', status: 403 });
    await expect(guard.canActivate(contextFor('changePassword', 'Bearer temporary'))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor('adminsOnly', 'Bearer temporary'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(guard.canActivate(contextFor('anyone', 'Bearer good'))).resolves.toBe(true);
  });
});

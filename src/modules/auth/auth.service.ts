import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../users/password-hasher';
import { passwordRefused } from '../users/password-policy';
import { Language } from '../users/role';
import { SessionHolder, User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AuthUser } from './auth-user';
import { LoginLimiter } from './login-limiter';
import { SessionTokens } from './session-tokens';

const INVALID_CREDENTIALS = () =>
  new AppError(ErrorCode.InvalidCredentials, 'The username or password is wrong. Check both and try again.', HttpStatus.UNAUTHORIZED);

export interface Session {
  token: string;
  expiresAt: Date;
  user: User;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokens,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditService,
  ) {}

  /** `language`: chosen on the sign-in page, so it wins over the one the account had and is saved. */
  async login(username: string, password: string, context: RequestContext, language?: Language): Promise<Session> {
    const name = username.trim().toLowerCase();
    const attempt = await this.limiter.take(name, context.ip);
    const user = await this.users.findWithPassword(name);
    const valid = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !valid) {
      await this.audit.record({
        actor: user ? { id: user.id, username: user.username } : null,
        action: 'auth.login_failed',
        details: { username: name.slice(0, 64) },
        context,
      });
      throw INVALID_CREDENTIALS();
    }
    await attempt.succeeded();
    if (!user.active) {
      throw new AppError(ErrorCode.AccountDeactivated, 'This account is deactivated. Ask an admin to reactivate it.', HttpStatus.FORBIDDEN);
    }
    await this.users.recordLogin(user.id);
    await this.audit.record({ actor: user, action: 'auth.login', target: { type: 'user', id: user.id }, context });
    if (language && language !== user.preferredLanguage) {
      await this.users.updateProfile(this.toAuthUser(user), { preferredLanguage: language }, context);
    }
    const { token, expiresAt } = await this.tokens.issue(user.id, user.tokenVersion);
    return { token, expiresAt, user: await this.users.get(user.id) };
  }

  /** Checks a session token against the current state of the user, so deactivation and resets apply at once. */
  async authenticate(token: string): Promise<AuthUser> {
    const claims = await this.tokens.verify(token);
    const user = await this.users.findForAuth(claims.sub);
    if (!user || user.tokenVersion !== claims.ver) {
      throw new AppError(ErrorCode.SessionExpired, 'Your session has ended. Sign in again.', HttpStatus.UNAUTHORIZED);
    }
    if (!user.active) {
      throw new AppError(ErrorCode.AccountDeactivated, 'This account is deactivated. Ask an admin to reactivate it.', HttpStatus.UNAUTHORIZED);
    }
    return this.toAuthUser(user);
  }

  private toAuthUser(user: SessionHolder): AuthUser {
    return { id: user.id, username: user.username, role: user.role, communeId: user.communeId, mustChangePassword: user.mustChangePassword };
  }

  /**
   * Ends the session on the server, not only in the browser: a copied token must stop working too.
   * Tokens carry only the user's session version, so this ends every session of theirs, as a password
   * change does; a token that is already invalid has nothing left to end.
   */
  async logout(token: string | null, context: RequestContext): Promise<void> {
    const user = token ? await this.authenticate(token).catch(() => null) : null;
    if (!user) return;
    await this.users.endSessions(user.id);
    await this.audit.record({ actor: user, action: 'auth.logout', target: { type: 'user', id: user.id }, context });
  }

  /** Changes the person's own password and returns a fresh session, since the change ends the old ones. */
  async changePassword(actor: AuthUser, currentPassword: string, newPassword: string, context: RequestContext): Promise<Session> {
    // A stolen session must not become a way round the sign-in limit to guess the password.
    const attempt = await this.limiter.take(actor.username, context.ip);
    const user = await this.users.findWithPassword(actor.username);
    if (!user || !(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new AppError(ErrorCode.InvalidCredentials, 'Your current password is wrong. Type it again.', HttpStatus.UNAUTHORIZED);
    }
    await attempt.succeeded();
    if (currentPassword === newPassword) throw passwordRefused([{ kind: 'same-as-current', message: 'Choose a new password that differs from the current one.' }]);
    const version = await this.users.setOwnPassword(actor, newPassword, context);
    const { token, expiresAt } = await this.tokens.issue(actor.id, version);
    return { token, expiresAt, user: await this.users.get(actor.id) };
  }
}

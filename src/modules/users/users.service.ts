import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Not, Repository } from 'typeorm';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { LoginLimiter } from '../auth/login-limiter';
import { PasswordHasher } from './password-hasher';
import { assertStrongPassword, generateTemporaryPassword } from './password-policy';
import { PlacesService } from '../places/places.service';
import { CreateUserDto, UpdateProfileDto, UpdateUserDto, UserQueryDto } from './dto/user.dto';
import { Role } from './role';
import { SessionHolder, User } from './user.entity';

/** Incremented in SQL, so two changes at once both end the old sessions. */
const BUMP_TOKEN_VERSION = (): string => 'token_version + 1';

const WITH_COMMUNE = { commune: { province: true } } as const;
/** Advisory lock key that serialises demoting and deactivating admins (any fixed number unique to this use). */
const LAST_ADMIN_LOCK = 7_301_001;

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  communeId?: string | null;
  preferredLanguage?: 'km' | 'en';
  password: string;
  mustChangePassword: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly places: PlacesService,
    private readonly audit: AuditService,
    private readonly limiter: LoginLimiter,
  ) {}

  async get(id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id }, relations: WITH_COMMUNE });
    if (!user) throw AppError.notFound('The user');
    return user;
  }

  /**
   * What every authenticated request checks, and no more. Plain SQL: this runs on every request of every
   * route, and the ORM's query building and hydration cost more than the lookup itself.
   */
  async findForAuth(id: string): Promise<SessionHolder | null> {
    const [row] = await this.users.query(
      `SELECT id, username, role, commune_id AS "communeId", must_change_password AS "mustChangePassword",
              token_version AS "tokenVersion", active FROM users WHERE id = $1`,
      [id],
    );
    return (row as SessionHolder | undefined) ?? null;
  }

  findWithPassword(username: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username: username.trim().toLowerCase() })
      .getOne();
  }

  async list(query: UserQueryDto): Promise<[User[], number]> {
    const qb = this.users
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.commune', 'c')
      .leftJoinAndSelect('c.province', 'p')
      .orderBy('u.displayName', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .offset(query.skip)
      .limit(query.pageSize);
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.active !== undefined) qb.andWhere('u.active = :active', { active: query.active });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      qb.andWhere(new Brackets((w) => w.where('u.username ILIKE :like', { like }).orWhere('u.displayName ILIKE :like', { like })));
    }
    return qb.getManyAndCount();
  }

  /** Creates a user with the given password; used by admins (temporary password), the CLI and demo seeding. */
  async create(input: NewUser): Promise<User> {
    assertStrongPassword(input.password, input.username);
    const communeId = await this.resolveCommune(input.role, input.communeId ?? null);
    if (await this.users.exists({ where: { username: input.username } })) {
      throw new AppError(ErrorCode.UsernameTaken, `The username "${input.username}" is taken. Choose another.`, HttpStatus.CONFLICT);
    }
    const saved = await this.users.save(
      this.users.create({
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        communeId,
        preferredLanguage: input.preferredLanguage ?? 'km',
        passwordHash: await this.hasher.hash(input.password),
        mustChangePassword: input.mustChangePassword,
      }),
    );
    return this.get(saved.id);
  }

  async createByAdmin(dto: CreateUserDto, actor: AuthUser, context: RequestContext): Promise<{ user: User; temporaryPassword: string }> {
    const temporaryPassword = generateTemporaryPassword();
    const user = await this.create({ ...dto, password: temporaryPassword, mustChangePassword: true });
    await this.audit.record({
      actor,
      action: 'user.created',
      target: { type: 'user', id: user.id },
      details: { username: user.username, role: user.role, communeId: user.communeId },
      context,
    });
    return { user, temporaryPassword };
  }

  async update(id: string, dto: UpdateUserDto, actor: AuthUser, context: RequestContext): Promise<User> {
    const user = await this.get(id);
    const role = dto.role ?? user.role;
    const communeId =
      dto.communeId !== undefined || dto.role !== undefined
        ? await this.resolveCommune(role, dto.communeId ?? (role === Role.Educator ? user.communeId : null))
        : user.communeId;
    const displayName = dto.displayName ?? user.displayName;
    await this.users.manager.transaction(async (em) => {
      if (user.role === Role.Admin && role !== Role.Admin) await this.assertNotLastAdmin(em, user);
      // A new role must take effect now, not when the old session runs out.
      await em.update(User, id, { displayName, role, communeId, ...(role !== user.role ? { tokenVersion: BUMP_TOKEN_VERSION } : {}) });
    });
    await this.audit.record({
      actor,
      action: role !== user.role ? 'user.role_changed' : 'user.updated',
      target: { type: 'user', id },
      details: { from: { role: user.role, communeId: user.communeId }, to: { role, communeId, displayName } },
      context,
    });
    return this.get(id);
  }

  async setActive(id: string, active: boolean, actor: AuthUser, context: RequestContext): Promise<User> {
    const user = await this.get(id);
    if (!active && user.id === actor.id) {
      throw new AppError(ErrorCode.LastAdmin, 'You cannot deactivate your own account. Ask another admin.', HttpStatus.CONFLICT);
    }
    if (user.active !== active) {
      await this.users.manager.transaction(async (em) => {
        if (!active && user.role === Role.Admin) await this.assertNotLastAdmin(em, user);
        await em.update(User, id, { active, tokenVersion: BUMP_TOKEN_VERSION });
      });
      await this.audit.record({ actor, action: active ? 'user.reactivated' : 'user.deactivated', target: { type: 'user', id }, context });
    }
    return this.get(id);
  }

  async resetPassword(id: string, actor: AuthUser, context: RequestContext): Promise<string> {
    const user = await this.get(id); // an unknown id answers 404 before anything changes
    const temporaryPassword = generateTemporaryPassword();
    await this.users.update(id, {
      passwordHash: await this.hasher.hash(temporaryPassword),
      mustChangePassword: true,
      tokenVersion: BUMP_TOKEN_VERSION,
    });
    // The lock-out message tells a locked-out person to ask an admin; the reset must then let them in.
    await this.limiter.clear(user.username);
    await this.audit.record({ actor, action: 'user.password_reset', target: { type: 'user', id }, context });
    return temporaryPassword;
  }

  async updateProfile(actor: AuthUser, dto: UpdateProfileDto, context: RequestContext): Promise<User> {
    const changes: Partial<User> = {};
    if (dto.displayName !== undefined) changes.displayName = dto.displayName;
    if (dto.preferredLanguage !== undefined) changes.preferredLanguage = dto.preferredLanguage;
    if (Object.keys(changes).length > 0) {
      await this.users.update(actor.id, changes);
      await this.audit.record({ actor, action: 'profile.updated', target: { type: 'user', id: actor.id }, details: { ...changes }, context });
    }
    return this.get(actor.id);
  }

  /** Sets a new password chosen by the person; other sessions of theirs end. Returns the new token version. */
  async setOwnPassword(actor: AuthUser, newPassword: string, context: RequestContext): Promise<number> {
    const user = await this.get(actor.id);
    assertStrongPassword(newPassword, user.username);
    const tokenVersion = user.tokenVersion + 1;
    await this.users.update(actor.id, { passwordHash: await this.hasher.hash(newPassword), mustChangePassword: false, tokenVersion });
    await this.audit.record({ actor, action: 'profile.password_changed', target: { type: 'user', id: actor.id }, context });
    return tokenVersion;
  }

  /** Every session token issued to this user so far stops working. */
  async endSessions(id: string): Promise<void> {
    await this.users.update(id, { tokenVersion: BUMP_TOKEN_VERSION });
  }

  async recordLogin(id: string): Promise<void> {
    await this.users.update(id, { lastLoginAt: new Date() });
  }

  private async resolveCommune(role: Role, communeId: string | null): Promise<string | null> {
    if (role !== Role.Educator) return communeId ? (await this.requireCommune(communeId)).id : null;
    if (!communeId) {
      throw new AppError(ErrorCode.CommuneRequired, 'Choose the commune this educator works in.', HttpStatus.BAD_REQUEST);
    }
    return (await this.requireCommune(communeId)).id;
  }

  private async requireCommune(id: string) {
    const commune = await this.places.findCommune(id);
    if (!commune) {
      throw new AppError(ErrorCode.UnknownCommune, 'That commune is not one of the campaign communes. Pick one from the list.', HttpStatus.BAD_REQUEST);
    }
    return commune;
  }

  /**
   * Call inside the transaction that demotes or deactivates `user`. The lock makes such changes take
   * turns, so two admins removing each other at the same moment cannot both see "another admin left".
   */
  private async assertNotLastAdmin(em: EntityManager, user: User): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [LAST_ADMIN_LOCK]);
    const others = await em.count(User, { where: { role: Role.Admin, active: true, id: Not(user.id) } });
    if (others === 0 && user.active) {
      throw new AppError(ErrorCode.LastAdmin, 'This is the last active admin. Make another admin first.', HttpStatus.CONFLICT);
    }
  }
}

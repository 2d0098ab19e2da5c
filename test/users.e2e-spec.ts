import * as argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { User } from '../src/modules/users/user.entity';
import { createIsolatedDatabase, IsolatedDatabase } from './support/isolated-database';
import { closeTestDb, createTestUser, login, signedIn, startTestApp, TestApp, TestUser } from './support/test-app';

jest.setTimeout(60_000);

// Failed sign-ins from 127.0.0.1 are counted per IP across every app of this run; keep other specs' out of our way.
const ENV = { LOGIN_MAX_FAILURES: '1000' };

type Admin = TestUser & { token: string };

interface AuditEvent {
  id: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  requestId: string | null;
  createdAt: string;
}

const newRequestId = () => `test-req-${randomUUID()}`;
const tag = () => randomUUID().slice(0, 8);

describe('Admins managing users', () => {
  let api: TestApp;
  let admin: Admin;
  let communes: { id: string; nameKm: string; nameEn: string }[];

  /** A request as `token`, with a fresh X-Request-Id; the id is returned so the audit entry can be found. */
  function as(token: string) {
    const send = (method: 'get' | 'post' | 'patch', path: string, body?: object) => {
      const requestId = newRequestId();
      const req = request(api.url)[method](path).set('Authorization', `Bearer ${token}`).set('X-Request-Id', requestId);
      return Object.assign(body ? req.send(body) : req, { requestId });
    };
    return {
      get: (path: string) => send('get', path),
      post: (path: string, body?: object) => send('post', path, body ?? {}),
      patch: (path: string, body: object) => send('patch', path, body),
    };
  }

  async function signIn(username: string, password: string, requestId = newRequestId()) {
    return request(api.url).post('/api/auth/login').set('X-Request-Id', requestId).send({ username, password });
  }

  async function auditFor(targetId: string): Promise<AuditEvent[]> {
    const res = await as(admin.token).get(`/api/audit?targetId=${targetId}&pageSize=100`);
    expect(res.status).toBe(200);
    return res.body.items as AuditEvent[];
  }

  /** The audit entry the request with `requestId` wrote, checked for who, what, to what and from where. */
  async function expectAudited(action: string, requestId: string, target: { id: string } | null, actor = admin): Promise<AuditEvent> {
    const events = target ? await auditFor(target.id) : await recentAudit(requestId);
    const event = events.find((e) => e.requestId === requestId);
    expect(event).toBeDefined();
    expect(event).toMatchObject({ action, requestId, ip: expect.stringMatching(/127\.0\.0\.1$/) });
    if (actor) expect(event).toMatchObject({ actorId: actor.id, actorUsername: actor.username });
    if (target) expect(event).toMatchObject({ targetType: 'user', targetId: target.id });
    return event!;
  }

  /** Pages back through the newest events (other specs write too) until the one with `requestId` shows up. */
  async function recentAudit(requestId: string): Promise<AuditEvent[]> {
    for (let page = 1; page <= 10; page++) {
      const res = await as(admin.token).get(`/api/audit?pageSize=100&page=${page}`);
      expect(res.status).toBe(200);
      const items = res.body.items as AuditEvent[];
      if (items.some((e) => e.requestId === requestId) || items.length < 100) return items;
    }
    return [];
  }

  async function createViaApi(body: Record<string, unknown>) {
    const call = as(admin.token).post('/api/users', body);
    const res = await call;
    return Object.assign(res, { requestId: call.requestId });
  }

  beforeAll(async () => {
    api = await startTestApp({ env: ENV });
    admin = await signedIn(api.url, 'admin');
    const provinces = await as(admin.token).get('/api/places/provinces');
    expect(provinces.status).toBe(200);
    communes = provinces.body.flatMap((p: { communes: { id: string; nameKm: string; nameEn: string }[] }) => p.communes);
  });
  afterAll(async () => {
    await api?.close();
    await closeTestDb();
  });

  it('offers the 5 campaign provinces with 5 communes each, named in Khmer and English', async () => {
    const res = await as(admin.token).get('/api/places/provinces');
    expect(res.body).toHaveLength(5);
    for (const province of res.body) {
      expect(province.nameKm).toMatch(/[\u1780-\u17FF]/);
      expect(province.nameEn).toMatch(/^[A-Za-z][A-Za-z .'-]+$/);
      expect(province.communes).toHaveLength(5);
      for (const commune of province.communes) {
        expect(commune.nameKm).toMatch(/[\u1780-\u17FF]/);
        expect(commune.nameEn).toMatch(/^[A-Za-z]/);
      }
    }
    expect(new Set(communes.map((c) => c.id)).size).toBe(25);
  });

  it('creates an educator with a Khmer name in a commune, with a temporary password that must be changed', async () => {
    const username = `sokha-${tag()}`;
    const commune = communes[7];
    const res = await createViaApi({ username: `  ${username.toUpperCase()} `, displayName: ' សុខា   ចាន់ ', role: 'educator', communeId: commune.id });

    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      username,
      displayName: 'សុខា ចាន់',
      role: 'educator',
      active: true,
      mustChangePassword: true,
      commune: { id: commune.id, nameKm: commune.nameKm, nameEn: commune.nameEn },
    });
    // Read aloud over the phone: no characters that are easy to confuse.
    expect(res.body.temporaryPassword).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{14}$/);

    const session = await signIn(username, res.body.temporaryPassword);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ id: res.body.user.id, mustChangePassword: true, displayName: 'សុខា ចាន់' });

    const event = await expectAudited('user.created', res.requestId, res.body.user);
    expect(event.details).toMatchObject({ username, role: 'educator', communeId: commune.id });
  });

  it('refuses an educator without a commune, an unknown commune, a taken username and a name with emoji', async () => {
    const username = `dara-${tag()}`;
    const noCommune = await createViaApi({ username, displayName: 'Dara', role: 'educator' });
    expect(noCommune.status).toBe(400);
    expect(noCommune.body).toMatchObject({ code: 'COMMUNE_REQUIRED', message: expect.stringMatching(/commune/) });

    const unknown = await createViaApi({ username, displayName: 'Dara', role: 'educator', communeId: randomUUID() });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_COMMUNE', message: expect.stringMatching(/Pick one from the list/) });

    const emoji = await createViaApi({ username, displayName: 'ដារា 🙂', role: 'editor' });
    expect(emoji.status).toBe(400);
    expect(emoji.body.code).toBe('VALIDATION_FAILED');
    expect(emoji.body.message).toMatch(/displayName.*remove emoji/i);

    // None of the refused attempts left a user behind.
    const none = await as(admin.token).get(`/api/users?q=${username}`);
    expect(none.body.total).toBe(0);

    const first = await createViaApi({ username, displayName: 'Dara', role: 'editor' });
    expect(first.status).toBe(201);
    const taken = await createViaApi({ username: username.toUpperCase(), displayName: 'Dara Two', role: 'lead' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'USERNAME_TAKEN', message: expect.stringContaining(username) });
    expect((await as(admin.token).get(`/api/users?q=${username}`)).body.total).toBe(1);
  });

  it('lists users filtered by role and by part of a username or display name', async () => {
    const t = tag();
    const educator = await createViaApi({ username: `edu-${t}`, displayName: `ស្រីពៅ ${t}`, role: 'educator', communeId: communes[0].id });
    const editor = await createViaApi({ username: `edi-${t}`, displayName: 'Editor Person', role: 'editor' });
    expect([educator.status, editor.status]).toEqual([201, 201]);

    const educators = await as(admin.token).get(`/api/users?role=educator&q=${t}`);
    expect(educators.status).toBe(200);
    expect(educators.body.total).toBe(1);
    expect(educators.body.items.map((u: { id: string }) => u.id)).toEqual([educator.body.user.id]);

    const both = await as(admin.token).get(`/api/users?q=${t.toUpperCase()}`);
    expect(both.body.items.map((u: { id: string }) => u.id).sort()).toEqual([educator.body.user.id, editor.body.user.id].sort());

    const byKhmerName = await as(admin.token).get(`/api/users?role=educator&q=${encodeURIComponent(`ស្រីពៅ ${t}`)}`);
    expect(byKhmerName.body.items.map((u: { id: string }) => u.id)).toEqual([educator.body.user.id]);

    // A % typed into the search box is a character, not a wildcard that matches everyone.
    const percent = await as(admin.token).get('/api/users?q=%25');
    expect(percent.status).toBe(200);
    expect(percent.body.total).toBe(0);

    const bad = await as(admin.token).get('/api/users?role=superuser');
    expect(bad.status).toBe(400);
  });

  it('keeps user management and the audit log to admins', async () => {
    const lead = await signedIn(api.url, 'lead');
    expect((await as(lead.token).get('/api/users')).status).toBe(403);
    expect((await as(lead.token).post('/api/users', { username: `x-${tag()}`, displayName: 'X', role: 'admin' })).status).toBe(403);
    expect((await as(lead.token).get('/api/audit')).status).toBe(403);
    expect((await request(api.url).get('/api/users')).status).toBe(401);
  });

  it('ends a session at once when the role changes, and audits it', async () => {
    const editor = await signedIn(api.url, 'editor');
    const call = as(admin.token).patch(`/api/users/${editor.id}`, { role: 'lead' });
    const res = await call;
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('lead');

    const old = await as(editor.token).get('/api/auth/me');
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('SESSION_EXPIRED');
    const again = await signIn(editor.username, editor.password);
    expect(again.body.user.role).toBe('lead');

    const event = await expectAudited('user.role_changed', call.requestId, editor);
    expect(event.details).toMatchObject({ from: { role: 'editor' }, to: { role: 'lead' } });

    // Becoming an educator needs a commune, as at creation.
    const toEducator = await as(admin.token).patch(`/api/users/${editor.id}`, { role: 'educator' });
    expect(toEducator.status).toBe(400);
    expect(toEducator.body.code).toBe('COMMUNE_REQUIRED');
  });

  it('deactivates a user, ending their session and refusing sign-in, and reactivates them', async () => {
    const educator = await signedIn(api.url, 'educator');
    const deactivate = as(admin.token).post(`/api/users/${educator.id}/deactivate`);
    const off = await deactivate;
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    expect((await as(educator.token).get('/api/auth/me')).status).toBe(401);
    const refused = await signIn(educator.username, educator.password);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_DEACTIVATED', message: expect.stringMatching(/deactivated/) });

    const reactivate = as(admin.token).post(`/api/users/${educator.id}/reactivate`);
    const on = await reactivate;
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    const back = await signIn(educator.username, educator.password);
    expect(back.status).toBe(200);
    expect((await as(back.body.accessToken).get('/api/auth/me')).status).toBe(200);

    await expectAudited('user.deactivated', deactivate.requestId, educator);
    await expectAudited('user.reactivated', reactivate.requestId, educator);
  });

  it('resets a password: the old one stops working, the temporary one must be changed', async () => {
    const lead = await signedIn(api.url, 'lead');
    const call = as(admin.token).post(`/api/users/${lead.id}/reset-password`);
    const res = await call;
    expect(res.status).toBe(200);
    expect(res.body.temporaryPassword).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{14}$/);

    expect((await signIn(lead.username, lead.password)).status).toBe(401);
    expect((await as(lead.token).get('/api/auth/me')).status).toBe(401);
    const temporary = await signIn(lead.username, res.body.temporaryPassword);
    expect(temporary.status).toBe(200);
    expect(temporary.body.user.mustChangePassword).toBe(true);

    await expectAudited('user.password_reset', call.requestId, lead);
  });

  it('does not let an admin deactivate their own account', async () => {
    const other = await signedIn(api.url, 'admin');
    const res = await as(other.token).post(`/api/users/${other.id}/deactivate`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/your own account/);
    expect((await as(other.token).get('/api/auth/me')).status).toBe(200);
  });

  it('audits failed sign-ins, for known and unknown usernames', async () => {
    const user = await createTestUser('editor');
    const known = newRequestId();
    expect((await signIn(user.username, 'definitely-wrong', known)).status).toBe(401);
    const res = await as(admin.token).get(`/api/audit?actorId=${user.id}&pageSize=100`);
    const event = (res.body.items as AuditEvent[]).find((e) => e.requestId === known);
    expect(event).toMatchObject({ action: 'auth.login_failed', actorId: user.id, ip: expect.stringMatching(/127\.0\.0\.1$/), details: { username: user.username } });

    const unknownName = `nobody-${tag()}`;
    const unknown = newRequestId();
    expect((await signIn(unknownName, 'definitely-wrong', unknown)).status).toBe(401);
    const failed = await expectAudited('auth.login_failed', unknown, null, null as unknown as Admin);
    expect(failed).toMatchObject({ actorId: null, details: { username: unknownName } });
  });
});

describe('The last active admin', () => {
  let isolated: IsolatedDatabase | undefined;
  let api: TestApp | undefined;

  // Its own database: "last" depends on every admin row, which parallel specs keep adding to the shared one.
  beforeAll(async () => {
    isolated = await createIsolatedDatabase();
    api = await startTestApp({ env: { ...ENV, DATABASE_URL: isolated.url } });
  });
  afterAll(async () => {
    await api?.close();
    await isolated?.drop();
  });

  async function adminIn(db: IsolatedDatabase, password = `pw-${randomUUID()}`) {
    const user = await db.db.getRepository(User).save({
      username: `admin-${tag()}`,
      displayName: 'Only Admin',
      role: 'admin' as User['role'],
      communeId: null,
      passwordHash: await argon2.hash(password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1 }),
    });
    return { ...user, password, token: await login(api!.url, { username: user.username, password }) };
  }

  it('cannot be demoted, until another admin exists', async () => {
    const only = await adminIn(isolated!);
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

    const demote = await request(api!.url).patch(`/api/users/${only.id}`).set(auth(only.token)).send({ role: 'editor' });
    expect(demote.status).toBe(409);
    expect(demote.body).toMatchObject({ code: 'LAST_ADMIN', message: expect.stringMatching(/last active admin/) });
    expect((await request(api!.url).get('/api/auth/me').set(auth(only.token))).body.role).toBe('admin');

    const created = await request(api!.url).post('/api/users').set(auth(only.token)).send({ username: `second-${tag()}`, displayName: 'Second Admin', role: 'admin' });
    expect(created.status).toBe(201);
    const temporary = await login(api!.url, { username: created.body.user.username, password: created.body.temporaryPassword });
    // The temporary password opens nothing else until it is replaced.
    const chosen = await request(api!.url).post('/api/auth/me/password').set(auth(temporary)).send({ currentPassword: created.body.temporaryPassword, newPassword: 'a much longer passphrase' });
    expect(chosen.status).toBe(200);
    const second = { ...created.body.user, token: chosen.body.accessToken as string };

    // With two, one may step down; then the other is the last again.
    const stepDown = await request(api!.url).patch(`/api/users/${only.id}`).set(auth(second.token)).send({ role: 'lead' });
    expect(stepDown.status).toBe(200);
    const lastAgain = await request(api!.url).patch(`/api/users/${second.id}`).set(auth(second.token)).send({ role: 'editor' });
    expect(lastAgain.status).toBe(409);
    expect(lastAgain.body.code).toBe('LAST_ADMIN');
  });

  it('is kept even when two admins demote or deactivate each other at the same moment', async () => {
    const users = isolated!.db.getRepository(User);
    // A race is won or lost by timing: several rounds, each of two fresh admins who are the only active ones.
    for (let round = 0; round < 6; round++) {
      await users.update({ role: 'admin' as User['role'] }, { active: false });
      const a = await adminIn(isolated!);
      const b = await adminIn(isolated!);
      const remove = (actor: { token: string }, target: { id: string }) =>
        round % 2 === 0
          ? request(api!.url).patch(`/api/users/${target.id}`).set('Authorization', `Bearer ${actor.token}`).send({ role: 'editor' })
          : request(api!.url).post(`/api/users/${target.id}/deactivate`).set('Authorization', `Bearer ${actor.token}`);

      const [ab, ba] = await Promise.all([remove(a, b), remove(b, a)]);
      const statuses = [ab.status, ba.status].sort();
      expect({ round, statuses }).toEqual({ round, statuses: [200, expect.any(Number)] });
      expect(statuses[1]).not.toBe(200);
      expect(await users.count({ where: { role: 'admin' as User['role'], active: true } })).toBe(1);
    }
  });
});

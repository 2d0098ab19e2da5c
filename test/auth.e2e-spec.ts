import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { browserLogin, closeTestDb, createTestUser, login, signedIn, startTestApp, TestApp, testDb } from './support/test-app';
import { User } from '../src/modules/users/user.entity';

describe('Signing in', () => {
  let api: TestApp;
  const jwt = new JwtService();

  beforeAll(async () => {
    api = await startTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  it('signs in with the right password, whatever the case of the username, and sets an HttpOnly cookie', async () => {
    const user = await createTestUser('editor');
    const res = await request(api.url).post('/api/auth/login').send({ username: user.username.toUpperCase(), password: user.password });

    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, role: 'editor' });
    expect(res.body.accessToken).toEqual(expect.any(String));
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/mm_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const me = await request(api.url).get('/api/auth/me').set('Cookie', cookie.split(';')[0]);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(user.username);
  });

  it('answers a wrong password and an unknown user with the same plain 401', async () => {
    const user = await createTestUser('lead');
    const wrong = await request(api.url).post('/api/auth/login').send({ username: user.username, password: 'not-it-at-all' });
    const unknown = await request(api.url).post('/api/auth/login').send({ username: 'nobody-here', password: 'not-it-at-all' });

    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'INVALID_CREDENTIALS' });
      expect(res.body.message).toMatch(/username or password is wrong/);
    }
  });

  it('pauses sign-in for a username after too many failures, with Retry-After, even for the right password', async () => {
    const user = await createTestUser('editor');
    for (let i = 0; i < 3; i++) {
      await request(api.url).post('/api/auth/login').send({ username: user.username, password: 'wrong-password-1' }).expect(401);
    }
    const res = await request(api.url).post('/api/auth/login').send({ username: user.username, password: user.password });

    expect(res.status).toBe(429);
    expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a deactivated account at sign-in and ends its open sessions', async () => {
    const user = await signedIn(api.url, 'educator');
    const db = await testDb();
    await db.getRepository(User).update(user.id, { active: false });

    const me = await request(api.url).get('/api/auth/me').set('Authorization', `Bearer ${user.token}`);
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('ACCOUNT_DEACTIVATED');

    const again = await request(api.url).post('/api/auth/login').send({ username: user.username, password: user.password });
    expect(again.status).toBe(403);
    expect(again.body.message).toMatch(/deactivated/);
  });

  it('tells an expired session apart from a forged or malformed token', async () => {
    const user = await createTestUser('lead');
    const secret = api.config.auth.jwtSecret;
    const expired = jwt.sign({ sub: user.id, ver: 0, exp: Math.floor(Date.now() / 1000) - 60 }, { secret });
    const forged = jwt.sign({ sub: user.id, ver: 0 }, { secret: 'another-secret-another-secret-another-secret', expiresIn: 600 });
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: user.id, ver: 0 })).toString('base64url')}.`;

    const get = (token: string) => request(api.url).get('/api/auth/me').set('Authorization', `Bearer ${token}`);
    expect((await get(expired)).body).toMatchObject({ statusCode: 401, code: 'SESSION_EXPIRED' });
    expect((await get(forged)).body).toMatchObject({ statusCode: 401, code: 'INVALID_TOKEN' });
    expect((await get(unsigned)).body).toMatchObject({ statusCode: 401, code: 'INVALID_TOKEN' });
    expect((await get('garbage')).body).toMatchObject({ statusCode: 401, code: 'INVALID_TOKEN' });
    expect((await request(api.url).get('/api/auth/me')).body).toMatchObject({ statusCode: 401, code: 'AUTH_REQUIRED' });
  });

  it('ends other sessions when the password changes, and keeps the person signed in with a new one', async () => {
    const user = await createTestUser('educator', { mustChangePassword: true });
    const first = await login(api.url, user);
    const second = await login(api.url, user);

    const weak = await request(api.url).post('/api/auth/me/password').set('Authorization', `Bearer ${first}`).send({ currentPassword: user.password, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('PASSWORD_TOO_WEAK');

    const wrongCurrent = await request(api.url)
      .post('/api/auth/me/password')
      .set('Authorization', `Bearer ${first}`)
      .send({ currentPassword: 'not-my-password', newPassword: 'a much longer passphrase' });
    expect(wrongCurrent.status).toBe(401);

    const changed = await request(api.url)
      .post('/api/auth/me/password')
      .set('Authorization', `Bearer ${first}`)
      .send({ currentPassword: user.password, newPassword: 'a much longer passphrase' });
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);

    expect((await request(api.url).get('/api/auth/me').set('Authorization', `Bearer ${second}`)).status).toBe(401);
    expect((await request(api.url).get('/api/auth/me').set('Authorization', `Bearer ${changed.body.accessToken}`)).status).toBe(200);
    await login(api.url, { username: user.username, password: 'a much longer passphrase' });
  });

  it('lets a person fix their own display name in Khmer and language, but not with emoji', async () => {
    const user = await signedIn(api.url, 'educator');
    const ok = await request(api.url).patch('/api/auth/me').set('Authorization', `Bearer ${user.token}`).send({ displayName: '  សុខា   ចាន់ ', preferredLanguage: 'en' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ displayName: 'សុខា ចាន់', preferredLanguage: 'en' });

    const emoji = await request(api.url).patch('/api/auth/me').set('Authorization', `Bearer ${user.token}`).send({ displayName: 'សុខា 🙂' });
    expect(emoji.status).toBe(400);
    expect(emoji.body.message).toMatch(/remove emoji/);
  });

  it('refuses malformed JSON, unknown fields and oversized bodies with a message that says what to do', async () => {
    const malformed = await request(api.url).post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": "a",');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'MALFORMED_JSON', message: expect.stringMatching(/not valid JSON/) });
    expect(malformed.body.requestId).toEqual(malformed.headers['x-request-id']);

    const unknown = await request(api.url).post('/api/auth/login').send({ username: 'a', password: 'b', isAdmin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/Unknown field "isAdmin"/);

    const big = await request(api.url).post('/api/auth/login').send({ username: 'a'.repeat(200_000), password: 'b' });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('BODY_TOO_LARGE');
  });
});

describe('The sign-in limit and the end of a session', () => {
  let api: TestApp;
  const MAX = 8;
  let nextIp = 1;
  /** Each test comes from its own client address (behind the trusted proxy), so the per-IP count is its own. */
  const newIp = () => `198.51.100.${nextIp++}`;

  beforeAll(async () => {
    api = await startTestApp({ env: { LOGIN_MAX_FAILURES: String(MAX), TRUST_PROXY: 'true' } });
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  const signIn = (ip: string, username: string, password: string) =>
    request(api.url).post('/api/auth/login').set('X-Forwarded-For', ip).send({ username, password });

  it('lets through no more wrong passwords than the limit, even when they all arrive at once', async () => {
    const user = await createTestUser('editor');
    const ip = newIp();
    const answers = await Promise.all(Array.from({ length: 24 }, () => signIn(ip, user.username, 'not-the-password')));
    const statuses = answers.map((res) => res.status);

    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX);
    expect(statuses.filter((s) => s === 429)).toHaveLength(24 - MAX);
    expect((await signIn(ip, user.username, user.password)).status).toBe(429);
  });

  it('lets a locked-out person in again once an admin has reset their password', async () => {
    const admin = await signedIn(api.url, 'admin');
    const user = await createTestUser('educator');
    const ip = newIp();
    for (let i = 0; i < MAX; i++) expect((await signIn(ip, user.username, 'not-the-password')).status).toBe(401);
    const locked = await signIn(ip, user.username, user.password);
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/ask an admin to reset your password/);

    const reset = await request(api.url).post(`/api/users/${user.id}/reset-password`).set('Authorization', `Bearer ${admin.token}`);
    expect(reset.status).toBe(200);
    expect((await signIn(ip, user.username, reset.body.temporaryPassword)).status).toBe(200);
  });

  it('counts wrong current passwords on the change-password form as failed sign-ins', async () => {
    const user = await signedIn(api.url, 'lead');
    const ip = newIp();
    const change = (currentPassword: string) =>
      request(api.url)
        .post('/api/auth/me/password')
        .set('Authorization', `Bearer ${user.token}`)
        .set('X-Forwarded-For', ip)
        .send({ currentPassword, newPassword: 'a much longer passphrase' });
    for (let i = 0; i < MAX; i++) expect((await change(`guess-number-${i}`)).status).toBe(401);

    expect((await change(user.password)).status).toBe(429);
    expect((await signIn(newIp(), user.username, user.password)).status).toBe(429);
  });

  it('ends the session on the server at sign-out, for a bearer token and for the cookie', async () => {
    const user = await createTestUser('educator');
    const token = await login(api.url, user);
    expect((await request(api.url).post('/api/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(204);
    const after = await request(api.url).get('/api/auth/me').set('Authorization', `Bearer ${token}`);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('SESSION_EXPIRED');

    const session = await browserLogin(api.url, user);
    const cookie = session.cookie;
    const out = await request(api.url).post('/api/auth/logout').set('Cookie', cookie).set('Origin', api.url);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/mm_session=;/);
    // Someone who copied the cookie before sign-out cannot use it afterwards.
    expect((await request(api.url).get('/api/auth/me').set('Cookie', cookie)).status).toBe(401);
    expect((await request(api.url).get('/api/auth/me').set('Authorization', `Bearer ${session.token}`)).status).toBe(401);
  });

  it('opens nothing but the password change, me and sign-out while a temporary password is in use', async () => {
    const user = await signedIn(api.url, 'editor', { mustChangePassword: true });
    const auth = { Authorization: `Bearer ${user.token}` };

    const list = await request(api.url).get('/api/testimonies').set(auth);
    expect(list.status).toBe(403);
    expect(list.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await request(api.url).patch('/api/auth/me').set(auth).send({ displayName: 'Someone Else' })).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await request(api.url).get('/api/auth/me').set(auth)).status).toBe(200);

    const changed = await request(api.url).post('/api/auth/me/password').set(auth).send({ currentPassword: user.password, newPassword: 'a much longer passphrase' });
    expect(changed.status).toBe(200);
    expect((await request(api.url).get('/api/testimonies').set('Authorization', `Bearer ${changed.body.accessToken}`)).status).toBe(200);
  });
});

describe('Choosing a password', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ env: { LOGIN_MAX_FAILURES: '1000' } });
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  it('refuses easily guessed passwords and the current one, with kinds and figures the web app can word', async () => {
    const user = await signedIn(api.url, 'educator', { password: 'the rain falls on the rice' });
    const change = (newPassword: string) =>
      request(api.url).post('/api/auth/me/password').set('Authorization', `Bearer ${user.token}`).send({ currentPassword: user.password, newPassword });

    for (const guessable of ['aaaaaaaaaa', '1234567890', 'password12']) {
      const res = await change(guessable);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'PASSWORD_TOO_WEAK', problems: [{ kind: 'guessable', values: { requiredScore: 3, hint: expect.any(String) } }] });
    }
    const same = await change(user.password);
    expect(same.status).toBe(400);
    expect(same.body).toMatchObject({ code: 'PASSWORD_TOO_WEAK', problems: [{ kind: 'same-as-current' }] });
    expect((await change('a boat on the mekong at dawn')).status).toBe(200);
  });
});

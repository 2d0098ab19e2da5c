import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildOpenApiDocument } from '../src/common/http/openapi';
import { closeTestDb, login, signedIn, startTestApp, startTestWorker, TestApp, TestUser } from './support/test-app';

type Who = 'anonymous' | 'educator' | 'editor' | 'lead' | 'admin';
type Expected = Record<Who, number>;

const ID = randomUUID();
const everyone = (status: number): Expected => ({ anonymous: status, educator: status, editor: status, lead: status, admin: status });
const signedInOnly = (status: number): Expected => ({ anonymous: 401, educator: status, editor: status, lead: status, admin: status });
const adminOnly = (status: number): Expected => ({ anonymous: 401, educator: 403, editor: 403, lead: 403, admin: status });
const uploaders = (status: number): Expected => ({ anonymous: 401, educator: status, editor: 403, lead: 403, admin: status });
const captionWriters = (status: number): Expected => ({ anonymous: 401, educator: status, editor: status, lead: 403, admin: status });
/** Consent, comments, withdrawals: the educator on their own item, editors and admins; leads only read. */
const itemWriters = captionWriters;
/** The reach dashboard: leads, editors and admins; educators see their own items' reach only. */
const reachLeads = (status: number): Expected => ({ anonymous: 401, educator: 403, editor: status, lead: status, admin: status });
const deciders = (status: number): Expected => ({ anonymous: 401, educator: 403, editor: status, lead: 403, admin: status });

/**
 * Every route of the API, with what each role gets. Bodies and ids are chosen so that allowed calls
 * stop at validation or "not found" and change nothing. A route added without a row here fails the
 * first test, so nobody can add an endpoint without deciding who may call it.
 */
const MATRIX: Record<string, { body?: object; expected: Expected }> = {
  'GET /health': { expected: everyone(200) },
  'GET /ready': { expected: everyone(200) },
  'POST /api/auth/login': { body: {}, expected: everyone(400) },
  'POST /api/auth/logout': { expected: everyone(204) },
  'GET /api/auth/me': { expected: signedInOnly(200) },
  'PATCH /api/auth/me': { body: {}, expected: signedInOnly(200) },
  'POST /api/auth/me/password': { body: {}, expected: signedInOnly(400) },
  'GET /api/places/provinces': { expected: signedInOnly(200) },
  'GET /api/testimonies': { expected: signedInOnly(200) },
  'GET /api/testimonies/{id}': { expected: signedInOnly(404) },
  'POST /api/testimonies/{id}/reprocess': { expected: { anonymous: 401, educator: 403, editor: 404, lead: 403, admin: 404 } },
  'DELETE /api/testimonies/{id}': { expected: { anonymous: 401, educator: 404, editor: 403, lead: 403, admin: 404 } },
  // Caption routes: the literal "{language}", "{index}" and "{version}" in these paths are refused by their
  // parameter checks (400) after the role check, so allowed calls stop there and change nothing.
  'GET /api/testimonies/{id}/captions': { expected: signedInOnly(404) },
  'GET /api/testimonies/{id}/captions/{language}': { expected: signedInOnly(400) },
  'PUT /api/testimonies/{id}/captions/{language}': { body: {}, expected: captionWriters(400) },
  'PATCH /api/testimonies/{id}/captions/{language}/cues/{index}': { body: {}, expected: captionWriters(400) },
  'POST /api/testimonies/{id}/captions/{language}/import': { expected: captionWriters(400) },
  'GET /api/testimonies/{id}/captions/{language}/versions': { expected: signedInOnly(400) },
  'POST /api/testimonies/{id}/captions/{language}/versions/{version}/restore': { expected: captionWriters(400) },
  'GET /api/testimonies/{id}/captions/{language}/export': { expected: signedInOnly(400) },
  'GET /api/testimonies/{id}/captions/{language}/tasks': { expected: signedInOnly(400) },
  'POST /api/testimonies/{id}/captions/{language}/speech-segments': { expected: captionWriters(400) },
  'POST /api/testimonies/{id}/captions/{language}/transcript': { expected: captionWriters(400) },
  'POST /api/testimonies/{id}/captions/{language}/burn-in': { expected: captionWriters(400) },
  'GET /api/testimonies/{id}/captions/{language}/preview': { expected: signedInOnly(400) },
  'GET /api/testimonies/counts': { expected: signedInOnly(200) },
  'GET /api/testimonies/{id}/decisions': { expected: signedInOnly(404) },
  'GET /api/testimonies/{id}/history': { expected: signedInOnly(404) },
  'GET /api/testimonies/{id}/comments': { expected: signedInOnly(404) },
  'POST /api/testimonies/{id}/comments': { body: {}, expected: itemWriters(400) },
  'POST /api/testimonies/{id}/approve': { body: {}, expected: deciders(404) },
  'POST /api/testimonies/{id}/request-changes': { body: {}, expected: deciders(404) },
  'POST /api/testimonies/{id}/reject': { body: {}, expected: deciders(404) },
  'POST /api/testimonies/{id}/resubmit': { expected: itemWriters(404) },
  // The literal "{consentId}" is refused by its uuid check (400) after the role check.
  'GET /api/testimonies/{id}/consents': { expected: signedInOnly(404) },
  'POST /api/testimonies/{id}/consents': { body: {}, expected: itemWriters(400) },
  'PUT /api/testimonies/{id}/consents/{consentId}': { body: {}, expected: itemWriters(400) },
  'POST /api/testimonies/{id}/consents/{consentId}/evidence': { expected: itemWriters(400) },
  'GET /api/testimonies/{id}/consents/{consentId}/evidence': { expected: deciders(400) },
  'POST /api/testimonies/{id}/consents/{consentId}/withdrawal': { body: {}, expected: itemWriters(400) },
  'POST /api/testimonies/{id}/withdrawal': { body: {}, expected: itemWriters(400) },
  'GET /api/testimonies/{id}/withdrawals': { expected: signedInOnly(404) },
  'POST /api/withdrawals/{withdrawalId}/keep-media': { body: {}, expected: adminOnly(400) },
  'GET /api/page': { expected: signedInOnly(200) },
  'PUT /api/admin/page': { body: {}, expected: adminOnly(400) },
  // No Page is connected in this spec, so disconnecting changes nothing.
  'DELETE /api/admin/page': { expected: adminOnly(204) },
  'GET /api/publications': { expected: { anonymous: 401, educator: 403, editor: 200, lead: 200, admin: 200 } },
  'GET /api/testimonies/{id}/publications': { expected: signedInOnly(404) },
  'POST /api/publications': { body: {}, expected: deciders(400) },
  // The literal "{publicationId}" is refused by its uuid check (400) after the role check.
  'PUT /api/publications/{publicationId}/time': { body: {}, expected: deciders(400) },
  'POST /api/publications/{publicationId}/publish-now': { expected: deciders(400) },
  'POST /api/publications/{publicationId}/cancel': { expected: deciders(400) },
  'POST /api/publications/{publicationId}/retry': { expected: deciders(400) },
  'POST /api/publications/{publicationId}/reconcile': { expected: deciders(400) },
  'POST /api/publications/{publicationId}/take-down': { expected: deciders(400) },
  'POST /api/screenings': { body: {}, expected: { anonymous: 401, educator: 400, editor: 403, lead: 400, admin: 400 } },
  'GET /api/screenings': { expected: signedInOnly(200) },
  'POST /api/screenings/{id}/verify': { expected: { anonymous: 401, educator: 403, editor: 403, lead: 404, admin: 404 } },
  'GET /api/reach/progress': { expected: reachLeads(200) },
  // Without `by`, an allowed call stops at validation.
  'GET /api/reach/breakdown': { expected: reachLeads(400) },
  'GET /api/reach/offline-profile': { expected: reachLeads(200) },
  'GET /api/reach/testimonies': { expected: signedInOnly(200) },
  // The literal "{table}" is refused by its check (400) after the role check.
  'GET /api/reach/export/{table}': { expected: signedInOnly(400) },
  'GET /api/users': { expected: adminOnly(200) },
  'POST /api/users': { body: {}, expected: adminOnly(400) },
  'GET /api/users/{id}': { expected: adminOnly(404) },
  'PATCH /api/users/{id}': { body: {}, expected: adminOnly(404) },
  'POST /api/users/{id}/deactivate': { expected: adminOnly(404) },
  'POST /api/users/{id}/reactivate': { expected: adminOnly(404) },
  'POST /api/users/{id}/reset-password': { expected: adminOnly(404) },
  'GET /api/audit': { expected: adminOnly(200) },
  'GET /api/admin/job-failures': { expected: adminOnly(200) },
  'GET /api/admin/recoveries': { expected: adminOnly(200) },
  'POST /api/admin/worker-check': { expected: adminOnly(200) },
  'GET /api/admin/ready': { expected: adminOnly(200) },
  // Without a Tus-Resumable header the tus server answers 412 and changes nothing.
  'POST /api/uploads/tus': { body: {}, expected: uploaders(412) },
  'HEAD /api/uploads/tus/{id}': { expected: uploaders(412) },
  'PATCH /api/uploads/tus/{id}': { body: {}, expected: uploaders(412) },
  'DELETE /api/uploads/tus/{id}': { expected: uploaders(412) },
  'POST /api/uploads/photo': { body: {}, expected: uploaders(400) },
};

describe('Who may call what', () => {
  let api: TestApp;
  let worker: INestApplicationContext;
  const tokens: Partial<Record<Who, string>> = {};
  const users: Partial<Record<Who, TestUser>> = {};

  beforeAll(async () => {
    api = await startTestApp();
    worker = await startTestWorker();
    for (const role of ['educator', 'editor', 'lead', 'admin'] as const) {
      const user = await signedIn(api.url, role);
      users[role] = user;
      tokens[role] = user.token;
    }
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await closeTestDb();
  });

  it('has a row for every route the API serves, and no row for a route that is gone', () => {
    const document = buildOpenApiDocument(api.app);
    const served = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.sort()).toEqual(Object.keys(MATRIX).sort());
  });

  const cases = Object.entries(MATRIX).flatMap(([route, { body, expected }]) =>
    (Object.keys(expected) as Who[]).map((who) => [route, who, expected[who], body] as const),
  );

  it.each(cases)('%s as %s → %i', async (route, who, status, body) => {
    const [method, path] = route.split(' ');
    const call = request(api.url)[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](path.replace('{id}', ID));
    if (tokens[who]) call.set('Authorization', `Bearer ${tokens[who]}`);
    const res = await (body ? call.send(body) : call);

    expect({ route, who, status: res.status }).toEqual({ route, who, status });
    // Signing out ends the session on the server: the next rows need a new one.
    if (route === 'POST /api/auth/logout' && users[who]) tokens[who] = await login(api.url, users[who]);
    // HEAD answers carry no body to check.
    if (method === 'HEAD') return;
    if (status === 401) expect(res.body).toMatchObject({ statusCode: 401, code: 'AUTH_REQUIRED', message: 'Sign in to continue.' });
    if (status === 403) expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: expect.stringMatching(/Ask an admin/) });
  });

  it('opens the queue dashboard to admins only, and sends others who open it in a browser to sign-in', async () => {
    const page = (who: Who, accept: string) => {
      const call = request(api.url).get('/admin/queues').set('Accept', accept);
      return tokens[who] ? call.set('Authorization', `Bearer ${tokens[who]}`) : call;
    };
    expect((await page('admin', 'text/html')).status).toBe(200);
    expect((await page('educator', 'application/json')).status).toBe(403);
    expect((await page('editor', 'application/json')).status).toBe(403);
    expect((await page('anonymous', 'application/json')).status).toBe(401);
    const browser = await page('anonymous', 'text/html');
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toBe('/?next=%2Fadmin%2Fqueues');
  });
});

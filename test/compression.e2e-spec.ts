/**
 * An educator's phone on paid mobile data: the web app's files come precompressed (brotli when asked),
 * API JSON is compressed on the fly (brotli at a light level, or gzip), and each answer says it varies with Accept-Encoding.
 * Needs the built web app (npx vite build --config web/vite.config.ts).
 */
import { get } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { closeTestDb, createTestTestimony, signedIn, startTestApp } from './support/test-app';

const DIST = resolve(__dirname, '../web/dist');

/** The raw answer: fetch and supertest would decompress it and hide what went over the wire. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((done, fail) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    }).on('error', fail);
  });
}

describe('compressed answers', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
    await closeTestDb();
  });

  it('serves a JS asset as its brotli copy to a browser that accepts br, and raw to one that does not', async () => {
    const script = readdirSync(join(DIST, 'assets')).find((name) => name.endsWith('.js') && readFileSync(join(DIST, 'assets', name)).length > 10_000);
    expect(script).toBeDefined();
    const raw = readFileSync(join(DIST, 'assets', script!));

    const br = await rawGet(`${app.url}/assets/${script}`, { 'Accept-Encoding': 'br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.body.length).toBeLessThan(raw.length / 2);
    expect(brotliDecompressSync(br.body).equals(raw)).toBe(true);

    const gz = await rawGet(`${app.url}/assets/${script}`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(raw)).toBe(true);

    const plain = await rawGet(`${app.url}/assets/${script}`, { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(raw)).toBe(true);
  });

  it('compresses API JSON: gzip for a phone that offers gzip, brotli for one that offers br too', async () => {
    const educator = await signedIn(app.url, 'educator');
    for (let i = 0; i < 5; i++) await createTestTestimony(educator, { title: `ទីបន្ទាល់ ${i}` });
    const list = (body: Buffer) => (JSON.parse(body.toString('utf8')) as { items: Array<{ title: string }> }).items.map((item) => item.title);

    const gz = await rawGet(`${app.url}/api/testimonies`, { 'Accept-Encoding': 'gzip, deflate', Authorization: `Bearer ${educator.token}` });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(list(gunzipSync(gz.body))).toContain('ទីបន្ទាល់ 0');

    const br = await rawGet(`${app.url}/api/testimonies`, { 'Accept-Encoding': 'gzip, deflate, br', Authorization: `Bearer ${educator.token}` });
    expect(br.headers['content-encoding']).toBe('br');
    expect(list(brotliDecompressSync(br.body))).toContain('ទីបន្ទាល់ 0');
  });
});

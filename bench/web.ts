/**
 * The educator's phone: what the first visit to the upload page downloads (HTML, JS, CSS and the Khmer
 * font the page actually asks for), compressed as the API serves it, beside the same app served
 * uncompressed (Accept-Encoding: identity); and the time until the upload form can be filled in on a
 * weak link (about 400 kbit/s, 400 ms round trip), emulated in Chromium through the DevTools protocol.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { loadConfig } from '../src/config/app-config';
import { createDataSource } from '../src/database/data-source';
import { Commune } from '../src/modules/places/commune.entity';
import { PasswordHasher } from '../src/modules/users/password-hasher';
import { Role } from '../src/modules/users/role';
import { User } from '../src/modules/users/user.entity';
import { launchChromium } from '../test/support/browser';
import { BenchEnv, note, waitForReady } from './support';

const KB = 1024;
/** The single bundle before it was split and compressed (issue 14): 442 KB raw, 128 KB gzipped, JS only. */
const TODAY = { rawKb: 442, gzipJsKb: 128 };
const BUDGET_KB = 150;
const WEAK_LINK = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
const TITLE_KM = /^ចំណងជើង/;

interface FirstLoad {
  /** Bytes on the wire per kind, headers excluded. */
  bytes: Record<'js' | 'css' | 'html' | 'font' | 'other', number>;
  ms: number;
}

function kindOf(mimeType: string): keyof FirstLoad['bytes'] {
  if (mimeType.includes('javascript')) return 'js';
  if (mimeType.includes('css')) return 'css';
  if (mimeType.includes('html')) return 'html';
  if (mimeType.includes('font')) return 'font';
  return 'other';
}

/** A fresh phone (empty cache, no service worker yet), signed in, opening /upload. */
async function firstLoad(browser: Browser, url: string, user: { username: string; password: string }, options: { compressed: boolean; weakLink: boolean }): Promise<FirstLoad> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, serviceWorkers: 'block' });
  try {
    const login = await context.request.post(`${url}/api/auth/login`, { data: user, headers: { Origin: url } });
    if (!login.ok()) throw new Error(`bench sign-in failed: ${login.status()}`);
    const page = await context.newPage();
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (!options.compressed) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    if (options.weakLink) await cdp.send('Network.emulateNetworkConditions', WEAK_LINK);
    const types = new Map<string, { api: boolean; kind: keyof FirstLoad['bytes']; headers: number }>();
    const bytes: FirstLoad['bytes'] = { js: 0, css: 0, html: 0, font: 0, other: 0 };
    cdp.on('Network.responseReceived', (e) =>
      types.set(e.requestId, { api: new URL(e.response.url).pathname.startsWith('/api/'), kind: kindOf(e.response.mimeType), headers: e.response.encodedDataLength }),
    );
    cdp.on('Network.loadingFinished', (e) => {
      const type = types.get(e.requestId);
      // API answers are the person's data, not the app's weight.
      if (type && !type.api) bytes[type.kind] += e.encodedDataLength - type.headers;
    });
    const started = Date.now();
    await page.goto(`${url}/upload`);
    await page.getByLabel(TITLE_KM).waitFor({ timeout: 120_000 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const ms = Date.now() - started;
    return { bytes, ms };
  } finally {
    await context.close();
  }
}

const total = (load: FirstLoad) => Object.values(load.bytes).reduce((a, b) => a + b, 0);
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

export async function benchWebApp(env: BenchEnv, dir: string, apiScript: string): Promise<void> {
  const config = loadConfig(env);
  const db = await createDataSource(config).initialize();
  const commune = await db.getRepository(Commune).findOneByOrFail({ code: '010201' });
  const password = 'bench-password-123';
  const educator = await db.getRepository(User).save({
    username: `bench-web-${randomUUID().slice(0, 8)}`, displayName: 'Bench', role: Role.Educator, communeId: commune.id,
    passwordHash: await new PasswordHasher().hash(password),
  });
  const port = 3950 + (process.pid % 40);
  const url = `http://127.0.0.1:${port}`;
  const api = spawn(process.execPath, [apiScript], { env: { ...process.env, ...env, PORT: String(port), UPLOAD_STAGING_DIR: join(dir, 'staging-web') }, stdio: 'ignore' });
  const browser = await launchChromium();
  try {
    await waitForReady(url);
    const user = { username: educator.username, password };
    const compressed = await firstLoad(browser, url, user, { compressed: true, weakLink: false });
    const raw = await firstLoad(browser, url, user, { compressed: false, weakLink: false });
    note(
      'Educator first load of /upload, compressed: JS+CSS+HTML+Khmer font',
      `${kb(total(compressed))} (JS ${kb(compressed.bytes.js)}, CSS ${kb(compressed.bytes.css)}, font ${kb(compressed.bytes.font)})`,
      `${TODAY.rawKb} KB raw JS, ${TODAY.gzipJsKb} KB gzipped JS (one bundle, served raw)`,
      `${(total(compressed) / KB / BUDGET_KB).toFixed(2)}x budget`,
      `<= ${BUDGET_KB} KB`,
    );
    note('Same first load served uncompressed (Accept-Encoding: identity)', kb(total(raw)), `JS alone ${kb(raw.bytes.js)}`, `${(total(compressed) / total(raw)).toFixed(2)}x`, 'compressed < raw');
    const weak = await firstLoad(browser, url, user, { compressed: true, weakLink: true });
    const weakRaw = await firstLoad(browser, url, user, { compressed: false, weakLink: true });
    note('Time to a usable /upload at 400 kbit/s, 400 ms RTT (fresh phone)', `${(weak.ms / 1000).toFixed(1)} s`, `${(weakRaw.ms / 1000).toFixed(1)} s uncompressed`, `${(weak.ms / weakRaw.ms).toFixed(2)}x`, 'as low as possible');
  } finally {
    await browser.close();
    api.kill('SIGTERM');
    await db.destroy();
  }
}

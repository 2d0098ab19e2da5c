/**
 * Browser test of the reach pages at 360 px in Khmer: the lead's dashboard (bar, estimate labelled in
 * accounts, a Chart.js chart), the printable monthly report, and the educator's screening form, whose
 * names are hashed in the browser. Needs `npx vite build --config web/vite.config.ts` first.
 * Screenshots go to $WEB_SHELL_SCREENSHOTS (default /tmp): reach-km.png, reach-report-km.png.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { anyCommune, closeTestDb, createTestTestimony, createTestUser, startTestApp, testDb } from '../support/test-app';

jest.setTimeout(120_000);

const SHOTS = process.env.WEB_SHELL_SCREENSHOTS ?? '/tmp';
const WEB_DIST = resolve(__dirname, '../../web/dist/index.html');
const PHONE = { width: 360, height: 740 };

describe('reach pages in the browser', () => {
  let app: { url: string; close(): Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`No ${WEB_DIST}: run "npx vite build --config web/vite.config.ts" before this test.`);
    app = await startTestApp();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await closeTestDb();
  });

  async function signedInPhone(role: 'lead' | 'educator'): Promise<{ page: Page; errors: string[]; user: Awaited<ReturnType<typeof createTestUser>> }> {
    const user = await createTestUser(role, { preferredLanguage: 'km' });
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(app.url, { waitUntil: 'load' });
    await page.getByTestId('lang-km').click();
    await page.getByLabel('ឈ្មោះអ្នកប្រើ', { exact: true }).fill(user.username);
    await page.getByLabel('ពាក្យសម្ងាត់', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'ចូល', exact: true }).click();
    await page.getByTestId('nav-profile').waitFor({ state: 'attached' });
    return { page, errors, user };
  }

  const fitsThePhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('shows a lead the verified people as the bar, the estimate in accounts beside it, and a chart, within 360 px', async () => {
    const db = await testDb();
    const educator = await createTestUser('educator');
    const recorder = await createTestUser('lead');
    const verifier = await createTestUser('lead');
    const item = await createTestTestimony(educator, { title: 'រឿងរបស់សុខា' });
    const [s] = await db.query(
      `INSERT INTO screenings (held_on, commune_id, group_name, headcount, items_key, recorded_by, verified_by, verified_at)
       VALUES (current_date - 3, $1, 'ក្រុមសន្សំ', 2, $2, $3, $4, now()) RETURNING id`,
      [(await anyCommune()).id, item.id, recorder.id, verifier.id],
    );
    await db.query(`INSERT INTO screening_items (screening_id, testimony_id) VALUES ($1, $2)`, [s.id, item.id]);
    for (const who of ['a', 'b']) {
      await db.query(`INSERT INTO screening_attendances (screening_id, person_key, sex, age_band) VALUES ($1, $2, 'female', '18-24')`, [s.id, createHash('sha256').update(who).digest('hex')]);
    }
    const { page, errors } = await signedInPhone('lead');

    await page.getByTestId('nav-reach').click({ force: true }).catch(() => page.goto(`${app.url}/reach`));
    await page.getByRole('heading', { level: 1, name: 'ការឈានដល់របស់យុទ្ធនាការ' }).waitFor();
    await page.getByRole('progressbar').waitFor();
    expect(await page.getByText('គណនី (មិនមែនមនុស្សទេ)').first().isVisible()).toBe(true);
    await page.locator('.reach-chart canvas').waitFor();
    await page.waitForFunction(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('.reach-chart canvas');
      return canvas !== null && canvas.width > 0 && canvas.toDataURL().length > 2000;
    });
    await page.getByText('តើរាប់យ៉ាងដូចម្ដេច?').click();
    expect(await page.getByText(/counted once however many sessions/).isVisible()).toBe(true);
    expect(await fitsThePhone(page)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'reach-km.png'), fullPage: true });

    await page.goto(`${app.url}/reach/report`);
    await page.getByRole('button', { name: 'បោះពុម្ព' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'reach-report-km.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('lets an educator fill the register on a phone; names stay in the browser, keys are sent', async () => {
    const { page, errors } = await signedInPhone('educator');
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/screenings') && r.method() === 'POST') sent.push(r.postData() ?? '');
    });
    await page.goto(`${app.url}/screenings/new`);
    await page.getByRole('heading', { level: 1, name: 'កត់ត្រាការបញ្ចាំង' }).waitFor();
    await page.getByLabel('ក្រុម ឬទីកន្លែង').fill('ក្រុមយុវជន');
    await page.getByLabel('ឈ្មោះ').fill('Chan Sokha');
    await page.getByLabel('ឆ្នាំកំណើត').fill('2001');
    await page.getByLabel('ភូមិ').fill('Prey Veng');
    expect(await fitsThePhone(page)).toBe(true);
    await page.getByRole('button', { name: 'រក្សាទុកការបញ្ចាំង' }).click();
    await page.locator('.notice').waitFor();

    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toContain('Sokha');
    expect(JSON.parse(sent[0]).attendees[0].personKey).toMatch(/^[0-9a-f]{64}$/);
    expect(errors).toEqual([]);
  });
});

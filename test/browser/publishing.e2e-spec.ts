/**
 * Browser test of publishing to the Facebook Page, in Khmer on a 360 px phone whose clock is set to
 * another zone (so only Phnom Penh time can show the hours expected): a real API and worker, the web
 * app from web/dist, and the fake Graph API standing for Facebook.
 *
 * Needs `npm run build:web` first.
 * Screenshots for a person to look at ($WEB_SHELL_SCREENSHOTS, default /tmp): publishing-calendar.png,
 * publishing-failed.png (the list with Meta's refusal).
 */
import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { Publication } from '../../src/modules/publishing/publication.entity';
import { StorageService } from '../../src/modules/storage/storage.service';
import { storageKeys } from '../../src/modules/storage/storage-keys';
import { Asset, AssetRole } from '../../src/modules/testimonies/asset.entity';
import { MediaKind, TestimonyStatus } from '../../src/modules/testimonies/testimony-status';
import { FakeGraph } from '../fake-graph/fake-graph.server';
import { FakePage } from '../fake-graph/fake-graph-state';
import { launchChromium, signedInPhone } from '../support/browser';
import { waitFor } from '../support/faults';
import { as, consentBody } from '../support/review-helpers';
import { closeTestDb, createTestTestimony, createTestUser, login, startTestApp, startTestWorker, testDb, type TestUser } from '../support/test-app';

jest.setTimeout(120_000);

const SHOTS = process.env.WEB_SHELL_SCREENSHOTS ?? '/tmp';
const WEB_DIST = resolve(__dirname, '../../web/dist/index.html');
const DAY = 86_400_000;

/** Written out here (not imported from web/src/i18n) so a wrong translation fails the test. */
const KM = {
  working: 'កំពុងដំណើរការ',
  connected: 'បានភ្ជាប់។ ហ្វេសប៊ុកបានទទួលយកថូខឹន។',
  scheduledFor: 'កំណត់ពេល',
  moved: 'បានផ្លាស់ទៅ',
  viewPost: 'មើលការបង្ហោះនៅលើហ្វេសប៊ុក',
  published: 'បានបង្ហោះ',
  tooSoon: 'សូមកំណត់ពេលយ៉ាងតិច ១០ នាទីមុន ឬបង្ហោះឥឡូវ។',
  offerNow: 'បង្ហោះវាឥឡូវជំនួសវិញ?',
  failed: 'បរាជ័យ',
  metaSays: 'ហ្វេសប៊ុកនិយាយថា៖',
  fixPolicy: 'ហ្វេសប៊ុកបដិសេធការបង្ហោះតាមច្បាប់របស់ខ្លួន។ សូមអានសាររបស់វា កែអត្ថបទ ឬរឿង ហើយកំណត់ពេលម្ដងទៀត។',
  stateChanged: 'មានអ្នកផ្សេងបានប្ដូរការបង្ហោះនេះ។ វាត្រូវបានបង្ហាញដូចឥឡូវនេះ៖ សូមមើលម្ដងទៀត។',
  simulated: 'ទំព័រសាកល្បង៖ គ្មានអ្វីត្រូវបានបង្ហោះទៅហ្វេសប៊ុកទេ។',
  reconnect: 'ទំព័រហ្វេសប៊ុកត្រូវភ្ជាប់ម្ដងទៀត៖ token expired។ គ្មានអ្វីត្រូវបានបង្ហោះទេ រហូតដល់ពេលនោះ។',
  cancelNotApproved: 'បានបោះបង់៖ រឿងនេះត្រូវបានបញ្ជូនទៅពិនិត្យឡើងវិញ ក្រោយពេលកំណត់ពេលបង្ហោះ (អក្សររត់ ឬការយល់ព្រមបានផ្លាស់ប្ដូរ)។ សូមអនុម័តម្ដងទៀត រួចកំណត់ពេលម្ដងទៀត។',
};
const KHMER_DIGITS = '០១២៣៤៥៦៧៨៩';
const km = (text: string) => text.replace(/[0-9]/g, (d) => KHMER_DIGITS[Number(d)]!);
/** The Phnom Penh calendar day `days` from now (Cambodia is +07:00 all year). */
const phnomPenhDay = (days: number) => new Date(Date.now() + days * DAY + 7 * 3_600_000).toISOString().slice(0, 10);

describe('publishing in the browser', () => {
  let fake: FakeGraph;
  let fbPage: FakePage;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let worker: INestApplicationContext;
  let browser: Browser;
  let educator: TestUser;
  let editor: TestUser;
  let admin: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`No ${WEB_DIST}: run "npm run build:web" before this test.`);
    fake = await FakeGraph.start();
    fbPage = fake.addPage({ name: 'Migra Action' });
    app = await startTestApp({ env: fake.env });
    worker = await startTestWorker(fake.env);
    browser = await launchChromium();
    educator = await createTestUser('educator');
    editor = await createTestUser('editor');
    admin = await createTestUser('admin');
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await worker?.close();
    await app?.close();
    await fake?.close();
    await closeTestDb();
  });

  /** An approved photo, with its consent and its stored publish rendition. */
  async function approvedPhoto(): Promise<string> {
    const item = await createTestTestimony(educator, { status: TestimonyStatus.InReview, kind: MediaKind.Photo, title: `រូបថត ${randomUUID().slice(0, 6)}` });
    await as(app, await login(app.url, educator)).post(`/testimonies/${item.id}/consents`, consentBody()).expect(201);
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c05030' } }).jpeg().toBuffer();
    const id = randomUUID();
    const storageKey = storageKeys.asset(item.id, id, 'jpg');
    await app.app.get(StorageService).put(storageKey, jpeg, { contentType: 'image/jpeg' });
    await (await testDb()).getRepository(Asset).save({ id, testimonyId: item.id, role: AssetRole.Publish, variant: 'jpeg', storageKey, mimeType: 'image/jpeg', byteSize: jpeg.length });
    await as(app, await login(app.url, editor)).post(`/testimonies/${item.id}/approve`).expect(201);
    return item.id;
  }

  // A phone set to another zone: only times computed in Phnom Penh match what the test expects.
  async function phone(user: TestUser): Promise<{ page: Page; errors: string[] }> {
    const signed = await signedInPhone(browser, app.url, user, contexts, { timezoneId: 'America/Los_Angeles' });
    signed.page.on('dialog', (d) => void d.accept());
    return signed;
  }

  async function expectFitsWidth(page: Page): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  test('an admin connects the Page; an editor schedules at a Phnom Penh hour, moves it on the calendar, publishes it now, once; the educator gets the link', async () => {
    const itemId = await approvedPhoto();

    // The admin connects the Page through its page: checked with Facebook, then working.
    const adminPhone = await phone(admin);
    await adminPhone.page.getByTestId('menu-toggle').click();
    await adminPhone.page.getByTestId('nav-facebook-page').click();
    await adminPhone.page.getByTestId('page-id').fill(fbPage.id);
    await adminPhone.page.getByTestId('page-token').fill(fbPage.token);
    await adminPhone.page.getByTestId('page-connect').click();
    await adminPhone.page.locator('.notice-ok', { hasText: KM.connected }).waitFor();
    await adminPhone.page.locator('[data-testid="page-state"][data-state="working"]', { hasText: KM.working }).waitFor();
    expect(await adminPhone.page.getByTestId('page-token').inputValue()).toBe('');
    await expectFitsWidth(adminPhone.page);
    expect(adminPhone.errors).toEqual([]);

    // The editor schedules it for 19:00 Phnom Penh time, two days from now.
    const { page, errors } = await phone(editor);
    const day = phnomPenhDay(2);
    await page.goto(`${app.url}/testimonies/${itemId}`);
    await page.getByTestId('schedule-open').click();
    await page.getByTestId('schedule-message-km').fill('រឿងពិតអំពីការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព');
    await page.getByTestId('schedule-message-en').fill('A true story about safe migration');
    await page.getByTestId('schedule-date').fill(day);
    await page.getByTestId('schedule-time').fill('19:00');
    await expectFitsWidth(page);
    await page.getByTestId('schedule-save').click();
    const card = page.getByTestId('item-publications').getByTestId('publication');
    await card.and(page.locator('[data-state="scheduled"]')).waitFor();
    expect(await card.getByTestId('publication-when').textContent()).toContain(`${KM.scheduledFor} `);
    expect(await card.getByTestId('publication-when').textContent()).toContain(km('19:00'));
    const [scheduled] = await (await testDb()).getRepository(Publication).find({ where: { testimonyId: itemId } });
    expect(scheduled!.scheduledAt.toISOString()).toBe(new Date(`${day}T19:00:00+07:00`).toISOString());

    // The calendar shows it on that day at 19:00, whatever the phone's zone.
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-calendar').click();
    await page.goto(`${app.url}/calendar?view=week&day=${day}`);
    const entry = page.locator(`[data-testid="calendar-day"][data-day="${day}"] [data-testid="calendar-entry"][data-id="${scheduled!.id}"]`);
    expect(await entry.locator('.calendar-time').textContent()).toBe(km('19:00'));
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'publishing-calendar.png'), fullPage: true });

    // Moved the tap way: a day later at 08:30.
    const later = phnomPenhDay(3);
    await entry.click();
    const selected = page.getByTestId('calendar-selected');
    await selected.getByTestId('publication-move').click();
    await selected.getByTestId('move-date').fill(later);
    await selected.getByTestId('move-time').fill('08:30');
    await selected.getByTestId('move-save').click();
    await page.locator('.notice-ok', { hasText: KM.moved }).waitFor();
    const moved = page.locator(`[data-testid="calendar-day"][data-day="${later}"] [data-testid="calendar-entry"][data-id="${scheduled!.id}"]`);
    expect(await moved.locator('.calendar-time').textContent()).toBe(km('08:30'));
    expect((await (await testDb()).getRepository(Publication).findOneByOrFail({ id: scheduled!.id })).scheduledAt.toISOString()).toBe(
      new Date(`${later}T08:30:00+07:00`).toISOString(),
    );
    await expectFitsWidth(page);

    // Then published now: exactly one post on the Page.
    await selected.getByTestId('publication-publish-now').click();
    const done = await waitFor('the publication to be on the Page', async () => {
      const p = await (await testDb()).getRepository(Publication).findOneByOrFail({ id: scheduled!.id });
      return p.state === 'published' ? p : null;
    }, 30_000);
    const posts = fake.posts(fbPage.id).filter((p) => p.message.startsWith('រឿងពិតអំពីការធ្វើចំណាកស្រុក') && !p.deleted);
    expect(posts).toEqual([expect.objectContaining({ id: done.postId, message: 'រឿងពិតអំពីការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព\n\nA true story about safe migration' })]);
    expect(errors).toEqual([]);

    // The educator sees that it is published, and the link to the post.
    const mine = await phone(educator);
    await mine.page.goto(`${app.url}/testimonies/${itemId}`);
    const theirs = mine.page.getByTestId('item-publications').locator('[data-testid="publication"][data-state="published"]');
    await theirs.waitFor();
    expect(await theirs.getByTestId('publication-state').textContent()).toBe(KM.published);
    const link = theirs.getByRole('link', { name: KM.viewPost });
    expect(await link.getAttribute('href')).toBe(`https://www.facebook.com/${done.postId}`);
    await expectFitsWidth(mine.page);
    expect(mine.errors).toEqual([]);
  });

  test('a time too soon offers publishing now; Meta’s refusal shows in its words with what to do, and a retry goes out once', async () => {
    await as(app, await login(app.url, admin)).put('/admin/page', { pageId: fbPage.id, token: fbPage.token }).expect(200);
    const itemId = await approvedPhoto();
    const { page, errors } = await phone(editor);
    await page.goto(`${app.url}/testimonies/${itemId}`);
    await page.getByTestId('schedule-open').click();
    await page.getByTestId('schedule-message-km').fill('សារដែលត្រូវបានបដិសេធ');
    // Five minutes from now in Phnom Penh: too soon for Facebook.
    const soon = new Date(Date.now() + 5 * 60_000 + 7 * 3_600_000).toISOString();
    await page.getByTestId('schedule-date').fill(soon.slice(0, 10));
    await page.getByTestId('schedule-time').fill(soon.slice(11, 16));
    await page.getByTestId('schedule-save').click();
    const refusal = page.getByTestId('schedule-error');
    expect(await refusal.locator('p').allTextContents()).toEqual([KM.tooSoon, KM.offerNow]);

    // Published now instead, and refused by Facebook under its rules.
    fake.failNext({ method: 'POST', path: /\/photos$/, fault: { error: { code: 368, userMessage: 'This post goes against our Community Standards.' } } });
    await page.getByTestId('schedule-publish-now').click();
    const failed = await waitFor('the publication to fail', async () => {
      const [p] = await (await testDb()).getRepository(Publication).find({ where: { testimonyId: itemId } });
      return p?.state === 'failed' ? p : null;
    }, 30_000);

    await page.goto(`${app.url}/publications?state=failed`);
    const card = page.locator(`[data-testid="publication"][data-id="${failed.id}"]`);
    expect(await card.getByTestId('publication-state').textContent()).toBe(KM.failed);
    const problem = card.getByTestId('publication-problem');
    // Meta's codes stay in Latin digits: they are looked up in Meta's documents as written.
    expect(await problem.locator('p').first().textContent()).toBe(`${KM.metaSays} This post goes against our Community Standards.លេខកូដ 368`);
    expect(await problem.locator('p').nth(1).textContent()).toBe(KM.fixPolicy);
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'publishing-failed.png'), fullPage: true });
    await card.getByTestId('publication-retry').click();
    await waitFor('the retried publication to be on the Page', async () => (await (await testDb()).getRepository(Publication).findOneByOrFail({ id: failed.id })).state === 'published', 30_000);
    expect(fake.posts(fbPage.id).filter((p) => p.message === 'សារដែលត្រូវបានបដិសេធ' && !p.deleted)).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  test('a post cancelled because its item went back to review says why in Khmer, not as Facebook’s words', async () => {
    await as(app, await login(app.url, admin)).put('/admin/page', { pageId: fbPage.id, token: fbPage.token }).expect(200);
    const itemId = await approvedPhoto();
    const editorApi = as(app, await login(app.url, editor));
    const scheduled = await editorApi.post('/publications', { testimonyId: itemId, at: new Date(Date.now() + 2 * 3_600_000).toISOString(), messageKm: 'ត្រឡប់ទៅពិនិត្យ' }).expect(201);
    // The person asked for their face to be blurred after all.
    const [consent] = (await editorApi.get(`/testimonies/${itemId}/consents`)).body;
    await editorApi.put(`/testimonies/${itemId}/consents/${consent.id}`, consentBody({ identifiability: 'face_blurred' })).expect(200);

    const { page, errors } = await phone(editor);
    await page.goto(`${app.url}/publications?state=cancelled`);
    const card = page.locator(`[data-testid="publication"][data-id="${scheduled.body.id}"]`);
    const problem = card.getByTestId('publication-problem');
    await problem.waitFor();
    expect(await problem.locator('p').allTextContents()).toEqual([KM.cancelNotApproved]);
    expect(errors).toEqual([]);
  });

  test('a scheduled post dragged to another day keeps its hour, a drag over someone else’s move is refused and said; the month fits a phone; the banners say when nothing reaches Facebook', async () => {
    const editorApi = as(app, await login(app.url, editor));
    await as(app, await login(app.url, admin)).put('/admin/page', { pageId: fbPage.id, token: fbPage.token }).expect(200);
    const day = phnomPenhDay(2);
    const created = await editorApi.post('/publications', { testimonyId: await approvedPhoto(), at: `${day}T19:00:00+07:00`, messageKm: 'អូស' }).expect(201);
    const { page, errors } = await phone(editor);

    // Dragged to another day of the week shown: the hour stays.
    await page.goto(`${app.url}/calendar?view=week&day=${day}`);
    const entry = (d: string) => page.locator(`[data-testid="calendar-day"][data-day="${d}"] [data-testid="calendar-entry"][data-id="${created.body.id}"]`);
    await entry(day).waitFor();
    // The next day, or the one before when the week shown (Monday to Sunday) ends there.
    const target = new Date(`${day}T00:00:00Z`).getUTCDay() === 0 ? phnomPenhDay(1) : phnomPenhDay(3);
    // Other specs leave publications on today's cell, which can push the two days apart by more than a
    // screen; a drag that has to scroll on its way is not what this checks, so the whole week is in view.
    await page.setViewportSize({ width: 360, height: 3000 });
    await entry(day).dragTo(page.locator(`[data-testid="calendar-day"][data-day="${target}"]`));
    expect(await entry(target).locator('.calendar-time').textContent()).toBe(km('19:00'));
    expect((await (await testDb()).getRepository(Publication).findOneByOrFail({ id: created.body.id })).scheduledAt.toISOString()).toBe(
      new Date(`${target}T19:00:00+07:00`).toISOString(),
    );

    // Moved meanwhile by someone else: the drag from the stale calendar is refused, said, and the calendar reloads.
    await editorApi.put(`/publications/${created.body.id}/time`, { at: `${target}T07:00:00+07:00`, expectedVersion: 2 }).expect(200);
    await entry(target).dragTo(page.locator(`[data-testid="calendar-day"][data-day="${day}"]`));
    await page.locator('.notice-error', { hasText: KM.stateChanged }).waitFor();
    await entry(target).locator('.calendar-time', { hasText: km('07:00') }).waitFor();

    // The month, on a 360 px phone.
    await page.getByTestId('calendar-month').click();
    await entry(target).waitFor();
    await expectFitsWidth(page);

    // A simulated Page, then one that needs connecting again: said on every page.
    const db = await testDb();
    await db.query(`UPDATE facebook_pages SET simulated = true WHERE disconnected_at IS NULL`);
    await page.goto(`${app.url}/testimonies`);
    expect(await page.getByTestId('banner-simulated').textContent()).toBe(KM.simulated);
    await db.query(`UPDATE facebook_pages SET simulated = false, state = 'needs_reconnect', state_reason = 'token expired' WHERE disconnected_at IS NULL`);
    await page.goto(`${app.url}/calendar`);
    expect(await page.getByTestId('banner-reconnect').textContent()).toBe(KM.reconnect);
    expect(await page.getByTestId('banner-simulated').count()).toBe(0);
    await expectFitsWidth(page);
    expect(errors).toEqual([]);
  });
});

/**
 * Browser test of the editorial review gate: a real API serving the built web/dist, driven by Debian's
 * Chromium on a 360 px phone in Khmer. Items are made in review directly, with a small WebM as their
 * review rendition, so no worker is needed.
 *
 * Needs `npm run build:web` first, and ffmpeg.
 * Screenshot for a person to look at ($WEB_SHELL_SCREENSHOTS, default /tmp): review-page.png (an editor's
 * review page after a timecoded comment and a request for changes).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, type BrowserContext, type Page } from 'playwright-core';
import { StorageService } from '../../src/modules/storage/storage.service';
import { storageKeys } from '../../src/modules/storage/storage-keys';
import { Asset, AssetRole } from '../../src/modules/testimonies/asset.entity';
import { launchChromium, signedInPhone } from '../support/browser';
import { as, consentBody } from '../support/review-helpers';
import { closeTestDb, createTestTestimony, createTestUser, login, startTestApp, testDb, type TestApp, type TestUser } from '../support/test-app';

jest.setTimeout(120_000);

const SHOTS = process.env.WEB_SHELL_SCREENSHOTS ?? '/tmp';
const WEB_DIST = resolve(__dirname, '../../web/dist/index.html');

/** Written out here (not imported from web/src/i18n) so a wrong translation fails the test. */
const KM = {
  commentAt: (time: string) => `អំពីពេល ${time} ក្នុងវីដេអូ`,
  changesSaved: 'បានរក្សាទុកការសម្រេច៖ ត្រូវកែសម្រួល។',
  approved: 'បានរក្សាទុកការសម្រេច៖ បានអនុម័ត។',
  changesNote: (note: string) => `អ្វីដែលត្រូវកែ៖ ${note}`,
  noteRequired: 'សូមសរសេរកំណត់ចំណាំ៖ អ្នកអប់រំត្រូវដឹងមូលហេតុ។',
  disguiseNotConfirmed: 'សូមធីកការលាក់អត្តសញ្ញាណនីមួយៗ ក្រោយពេលពិនិត្យក្នុងវីដេអូ។',
  confirmFaceBlurred: (person: string) => `${person}៖ ធ្វើឲ្យមុខព្រិល`,
  someoneElse: 'មានអ្នកផ្សេងបានសម្រេចរួចហើយ៖ ឥឡូវនេះវា «ត្រូវកែសម្រួល»។ សូមមើលម្ដងទៀត មុននឹងសម្រេច។',
  historyChanges: 'បានសុំឲ្យកែ',
  viewEvidence: 'មើលទម្រង់ ឬការថត',
  publishPending: 'វីដេអូគុណភាពពេញសម្រាប់ទំព័រហ្វេសប៊ុក កំពុងត្រូវបានរៀបចំនៅឡើយ។ អ្នកអាចមើលច្បាប់នេះ បញ្ចេញមតិ និងស្នើសុំការកែប្រែបានឥឡូវនេះ។ ការអនុម័តនឹងបើកដោយខ្លួនឯង នៅពេលវារួចរាល់។',
  fillGuardian: 'សម្រាប់កុមារ សូមសរសេរឈ្មោះអាណាព្យាបាល ទំនាក់ទំនង ហើយធីកថាកុមារបានយល់ព្រម។',
  consentSaved: 'បានរក្សាទុកកំណត់ត្រាការយល់ព្រម។',
  person: 'ឈ្មោះក្លែង ឬអក្សរកាត់',
  guardian: 'ឈ្មោះឪពុកម្ដាយ ឬអាណាព្យាបាល',
  relationship: 'ត្រូវជាអ្វីនឹងកុមារ',
  childAssent: 'កុមារក៏បានយល់ព្រមដែរ',
  withdrawalSaved: 'បានកត់ត្រាការដកវិញ។ ជំហានខាងក្រោមបង្ហាញថាវាទៅដល់ណាហើយ។',
  steps: ['ចេញពីការពិនិត្យ', 'តំណភ្ជាប់ឈប់ដំណើរការ', 'កាលវិភាគត្រូវបានលុបចោល', 'ដកចេញពីទំព័រហ្វេសប៊ុក', 'វីដេអូ/រូបថតត្រូវបានលុប'],
};
const NOTE = 'សូមធ្វើឲ្យមុខព្រិល នៅនាទីទី ២។';

describe('review gate in the browser', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'migra-review-web-'));
  let app: TestApp & { url: string; close(): Promise<void> };
  let browser: Browser;
  let educator: TestUser;
  let editor: TestUser;
  let otherEditor: TestUser;
  let educatorToken: string;
  let otherEditorToken: string;
  let clip: Buffer;
  let formPhoto: Buffer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`No ${WEB_DIST}: run "npm run build:web" before this test.`);
    const ff = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-nostdin', ...args, '-y'], { stdio: ['ignore', 'ignore', 'pipe'] });
    ff('-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=10', '-t', '6', '-c:v', 'libvpx-vp9', '-b:v', '100k', join(scratch, 'clip.webm'));
    ff('-f', 'lavfi', '-i', 'color=c=white:s=200x100', '-frames:v', '1', join(scratch, 'form.jpg'));
    clip = readFileSync(join(scratch, 'clip.webm'));
    formPhoto = readFileSync(join(scratch, 'form.jpg'));
    app = await startTestApp();
    browser = await launchChromium();
    educator = await createTestUser('educator');
    editor = await createTestUser('editor');
    otherEditor = await createTestUser('editor');
    educatorToken = await login(app.url, educator);
    otherEditorToken = await login(app.url, otherEditor);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await closeTestDb();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A playable rendition of the item (the same small clip for either role). */
  async function addRendition(testimonyId: string, role: AssetRole.Review | AssetRole.Publish): Promise<void> {
    const assetId = randomUUID();
    const storageKey = storageKeys.asset(testimonyId, assetId, 'webm');
    await app.app.get(StorageService).put(storageKey, clip, { contentType: 'video/webm' });
    await (await testDb())
      .getRepository(Asset)
      .save({ id: assetId, testimonyId, role, variant: '', storageKey, mimeType: 'video/webm', byteSize: clip.length, width: 320, height: 180, durationMs: 6000 });
  }

  /**
   * An educator's video in review, playable, with one consent record (and its form photo) from the
   * educator; its Page copy made too unless `publishReady` is false.
   */
  async function itemInReview(consent: Record<string, unknown> = {}, { publishReady = true } = {}): Promise<{ id: string; consentId: string }> {
    const item = await createTestTestimony(educator);
    await addRendition(item.id, AssetRole.Review);
    if (publishReady) await addRendition(item.id, AssetRole.Publish);
    const educatorApi = as(app, educatorToken);
    const record = await educatorApi.post(`/testimonies/${item.id}/consents`, consentBody(consent)).expect(201);
    await educatorApi.upload(`/testimonies/${item.id}/consents/${record.body.id}/evidence`, formPhoto, 'form.jpg').expect((r) => expect(r.status).toBeLessThan(300));
    // The queue shows the longest waiting first, and other specs leave items in review in this database:
    // this one has waited longest, so it is on the queue's first page whatever ran before.
    await (await testDb()).query(`UPDATE testimonies SET updated_at = '2001-01-01' WHERE id = $1`, [item.id]);
    return { id: item.id, consentId: record.body.id as string };
  }

  const phone = (user: TestUser) => signedInPhone(browser, app.url, user, contexts);

  const video = '[data-testid="review-video"]';

  async function playheadTo(page: Page, seconds: number): Promise<void> {
    await page.waitForFunction((sel) => document.querySelector<HTMLVideoElement>(sel)!.readyState >= 1, video);
    await page.evaluate(([sel, s]) => {
      document.querySelector<HTMLVideoElement>(sel as string)!.currentTime = s as number;
    }, [video, seconds]);
    await page.waitForFunction(
      ([sel, s]) => {
        const v = document.querySelector<HTMLVideoElement>(sel as string)!;
        return !v.seeking && Math.abs(v.currentTime - (s as number)) < 0.01;
      },
      [video, seconds],
    );
  }

  async function expectFitsWidth(page: Page): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  const reviewPage = (page: Page, status: string) => page.locator(`[data-testid="testimony-page"][data-status="${status}"]`).waitFor();

  test('an editor comments at a moment of the video and asks for changes; the educator reads the note in Khmer', async () => {
    const { id } = await itemInReview();
    const { page, errors } = await phone(editor);

    // From the queue (oldest first) to the item.
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-review').click();
    await page.locator(`[data-testid="testimony-item"][data-id="${id}"]`).waitFor();
    await expectFitsWidth(page);
    await page.locator(`[data-testid="testimony-item"][data-id="${id}"] .item-title a`).click();
    await reviewPage(page, 'in_review');
    await page.getByTestId('consent-record').getByRole('button', { name: KM.viewEvidence }).waitFor();

    // A comment about the moment 0:02, which the timecode takes the player back to.
    await playheadTo(page, 2);
    expect(await page.getByTestId('comments').locator('label.choice').textContent()).toBe(KM.commentAt('០:០២'));
    await page.getByTestId('comment-body').fill('មុខគាត់ឃើញច្បាស់ពេក។');
    await page.getByTestId('comment-send').click();
    const stamp = page.getByTestId('comment').getByTestId('comment-timecode');
    expect(await stamp.textContent()).toBe('០:០២');
    await playheadTo(page, 0);
    await stamp.click();
    await page.waitForFunction((sel) => Math.abs(document.querySelector<HTMLVideoElement>(sel)!.currentTime - 2) < 0.01, video);

    // Changes need a note: refused in Khmer before anything is sent, then sent with it.
    await page.getByTestId('decide-changes').click();
    expect(await page.getByTestId('decision').locator('.notice-error').textContent()).toBe(KM.noteRequired);
    await page.getByTestId('decision-note-input').fill(NOTE);
    await page.getByTestId('decide-changes').click();
    await reviewPage(page, 'changes_requested');
    await page.locator('.notice-ok', { hasText: KM.changesSaved }).waitFor();
    expect(await page.getByTestId('decision-note').textContent()).toBe(KM.changesNote(NOTE));
    await page.getByTestId('history').locator('[data-action="testimony.changes_requested"]', { hasText: KM.historyChanges }).waitFor();
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'review-page.png'), fullPage: true });
    expect(errors).toEqual([]);

    // The educator sees the decision and the note on their list, then can send it back.
    const mine = await phone(educator);
    const card = mine.page.locator(`[data-testid="testimony-item"][data-id="${id}"]`);
    expect(await card.getByTestId('decision-note').textContent()).toBe(KM.changesNote(NOTE));
    await card.locator('.item-title a').click();
    await reviewPage(mine.page, 'changes_requested');
    await mine.page.getByTestId('resubmit').click();
    await reviewPage(mine.page, 'in_review');
    await expectFitsWidth(mine.page);
    expect(mine.errors).toEqual([]);
  });

  test('approval asks to confirm each disguise the consent requires', async () => {
    const { id } = await itemInReview({ personLabel: 'ស.ផ', identifiability: 'face_blurred' });
    const { page, errors } = await phone(editor);
    await page.goto(`${app.url}/testimonies/${id}`);
    await reviewPage(page, 'in_review');

    await page.getByTestId('decide-approve').click();
    await page.getByTestId('decision').locator('.notice-error', { hasText: KM.disguiseNotConfirmed }).waitFor();
    await page.getByTestId('decision').getByLabel(KM.confirmFaceBlurred('ស.ផ')).check();
    await page.getByTestId('decide-approve').click();
    await reviewPage(page, 'approved');
    await page.locator('.notice-ok', { hasText: KM.approved }).waitFor();
    await expectFitsWidth(page);
    expect(errors).toEqual([]);
  });

  test('while the Page’s copy of a video is being made, approval waits and says why, and opens by itself once it is ready', async () => {
    const { id } = await itemInReview({}, { publishReady: false });
    const { page, errors } = await phone(editor);
    await page.goto(`${app.url}/testimonies/${id}`);
    await reviewPage(page, 'in_review');

    expect(await page.getByTestId('publish-pending').textContent()).toBe(KM.publishPending);
    expect(await page.getByTestId('decide-approve').isDisabled()).toBe(true);
    expect(await page.getByTestId('decide-changes').isDisabled()).toBe(false);

    await addRendition(id, AssetRole.Publish);
    await page.getByTestId('publish-pending').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByTestId('decide-approve').click();
    await reviewPage(page, 'approved');
    expect(errors).toEqual([]);
  });

  test('a decision made by someone else meanwhile is said plainly, with the state the item is in now', async () => {
    const { id } = await itemInReview();
    const { page, errors } = await phone(editor);
    await page.goto(`${app.url}/testimonies/${id}`);
    await reviewPage(page, 'in_review');

    await as(app, otherEditorToken).post(`/testimonies/${id}/request-changes`, { note: 'ខ្លីពេក' }).expect(201);
    await page.getByTestId('decision-note-input').fill('មិនត្រូវនឹងយុទ្ធនាការ');
    await page.getByTestId('decide-reject').click();
    await page.locator('.notice-error', { hasText: KM.someoneElse }).waitFor();
    await reviewPage(page, 'changes_requested');
    expect(errors).toEqual([]);
  });

  test('after an upload the educator records a child consent with the form photo, then a withdrawal, and follows its steps', async () => {
    const item = await createTestTestimony(educator);
    const { page, errors } = await phone(educator);
    // Where the upload page lands when the upload is done.
    await page.goto(`${app.url}/testimonies/${item.id}?consent=new`);
    const form = page.getByTestId('consent-form');
    await form.getByLabel(KM.person).fill('ក.ម');
    await page.getByTestId('consent-minor').check();
    await page.getByTestId('consent-explained-by').fill('សុខា');
    await page.getByTestId('consent-channel-facebook_page').check();
    await page.getByTestId('consent-identifiability').selectOption('face_blurred');
    await page.getByTestId('consent-evidence-file').setInputFiles({ name: 'form.jpg', mimeType: 'image/jpeg', buffer: formPhoto });
    await page.getByTestId('consent-save').click();
    expect(await form.locator('.notice-error').textContent()).toBe(KM.fillGuardian);
    await form.getByLabel(KM.guardian).fill('ម្ដាយ ស.ម');
    await form.getByLabel(KM.relationship).fill('ម្ដាយ');
    await form.getByLabel(KM.childAssent).check();
    await expectFitsWidth(page);
    await page.getByTestId('consent-save').click();
    await page.getByTestId('consents').locator('.notice-ok', { hasText: KM.consentSaved }).waitFor();
    const record = page.getByTestId('consent-record');
    expect(await record.count()).toBe(1);
    expect(await record.getAttribute('data-state')).toBe('active');
    const saved = await as(app, educatorToken).get(`/testimonies/${item.id}/consents`).expect(200);
    expect(saved.body).toEqual([expect.objectContaining({ personLabel: 'ក.ម', isMinor: true, childAssent: true, identifiability: 'face_blurred', hasEvidence: true })]);

    // The person takes it back: recorded on their behalf, and each step of taking the item down is shown.
    await record.getByTestId('consent-withdraw').click();
    await page.getByTestId('withdrawal-save').click();
    await page.getByTestId('withdrawals').waitFor();
    await page.locator('[data-testid="testimony-page"][data-status="withdrawn"]').waitFor();
    expect(await page.getByTestId('consent-record').getAttribute('data-state')).toBe('withdrawn');
    expect(await page.getByTestId('withdrawal-step').locator('span:first-child').allTextContents()).toEqual(KM.steps);
    await expectFitsWidth(page);
    expect(errors).toEqual([]);
  });
});

/**
 * Browser test of uploads and testimony pages: a real API (test/support/test-app) serving the
 * built web/dist, driven by Debian's Chromium through playwright-core, on a 360 px phone in Khmer.
 *
 * Needs `npm run api:generate && npx vite build --config web/vite.config.ts` first, and ffmpeg.
 * Screenshots for a person to look at go to $WEB_SHELL_SCREENSHOTS (default /tmp):
 *   upload-form.png, upload-offline.png (mid-upload, link dropped), upload-item.png (the new item),
 *   upload-mine.png (My testimonies), upload-editor-list.png, upload-editor-item.png.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { StorageService } from '../../src/modules/storage/storage.service';
import { Asset, AssetRole } from '../../src/modules/testimonies/asset.entity';
import { Testimony } from '../../src/modules/testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../../src/modules/testimonies/testimony-status';
import { anyCommune, closeTestDb, createTestTestimony, createTestUser, startTestApp, testDb, type TestUser } from '../support/test-app';

jest.setTimeout(180_000);

const SHOTS = process.env.WEB_SHELL_SCREENSHOTS ?? '/tmp';
const WEB_DIST = resolve(__dirname, '../../web/dist/index.html');
const PHONE = { width: 360, height: 740 };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
/** A real thumbhash (from the thumbhash demo), base64. */
const THUMBHASH = '1QcSHQRnh493V4dIh4eXh1h4kJUI';

/** Written out here (not imported from web/src/i18n) so a wrong translation fails the test. */
const KM = {
  username: 'ឈ្មោះអ្នកប្រើ',
  password: 'ពាក្យសម្ងាត់',
  signIn: 'ចូល',
  navUpload: 'ផ្ញើវីដេអូ/រូបថត',
  uploadTitle: 'ផ្ញើវីដេអូ ឬរូបថត',
  myTestimonies: 'ទីបន្ទាល់របស់ខ្ញុំ',
  testimonies: 'ទីបន្ទាល់',
  title: /^ចំណងជើង/,
  description: 'ការពិពណ៌នា',
  waiting: 'កំពុងរង់ចាំអ៊ីនធឺណិត… ការផ្ញើនឹងបន្តដោយខ្លួនឯង ពេលអ៊ីនធឺណិតមកវិញ។',
  notMedia:
    'ម៉ាស៊ីនមេមិនអាចអានឯកសារនេះជាវីដេអូ ឬរូបថតបានទេ។ សូមពិនិត្យថាវាអាចចាក់បាននៅលើទូរស័ព្ទរបស់អ្នក ឬជ្រើសឯកសារផ្សេង។',
  tooBigStart: 'វីដេអូនេះធំពេក (',
  processAgain: 'ដំណើរការម្តងទៀត',
  statusProcessing: 'កំពុងដំណើរការ',
  failTruncated: 'វីដេអូនេះមិនពេញលេញទេ',
};

describe('uploads and testimony pages in the browser', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let dir: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`No ${WEB_DIST}: build the web app before this test.`);
    dir = mkdtempSync(join(tmpdir(), 'migra-upload-'));
    const ffmpeg = (out: string, args: string[]) => execFileSync('ffmpeg', ['-y', '-loglevel', 'error', ...args, join(dir, out)]);
    ffmpeg('clip.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '2', '-pix_fmt', 'yuv420p']);
    ffmpeg('poster.jpg', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=1', '-frames:v', '1']);
    // Lossless, so it is big enough (> 10 MB) for several 5 MB chunks.
    ffmpeg('long.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-t', '7', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p']);
    writeFileSync(join(dir, 'notes.mp4'), 'These are my meeting notes, not a video.\n'.repeat(200));
    // Sparse: 2.1 GB on paper, nothing on disk.
    writeFileSync(join(dir, 'huge.mp4'), '');
    truncateSync(join(dir, 'huge.mp4'), 2200 * 1024 ** 2);

    app = await startTestApp();
    browser = await launchChromium();
  }, 180_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await closeTestDb();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function phone(): Promise<{ page: Page; context: BrowserContext; errors: string[]; uploads: Request[] }> {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    const uploads: Request[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/uploads')) uploads.push(r);
    });
    await page.goto(app.url, { waitUntil: 'load' });
    return { page, context, errors, uploads };
  }

  async function signIn(page: Page, user: TestUser): Promise<void> {
    await page.getByLabel(KM.username, { exact: true }).fill(user.username);
    await page.getByLabel(KM.password, { exact: true }).fill(user.password);
    await page.getByRole('button', { name: KM.signIn, exact: true }).click();
    await page.getByTestId('menu-toggle').waitFor();
  }

  async function openUpload(page: Page): Promise<void> {
    await page.getByTestId('menu-toggle').click();
    // Upload is the educator's first menu item.
    const first = page.locator('#main-nav [data-testid^="nav-"]').first();
    expect(await first.getAttribute('data-testid')).toBe('nav-upload');
    expect((await first.textContent())?.trim()).toBe(KM.navUpload);
    await first.click();
    await page.getByRole('heading', { level: 1, name: KM.uploadTitle }).waitFor();
  }

  async function fillForm(page: Page, file: string, title: string): Promise<void> {
    await page.getByTestId('upload-file').setInputFiles(join(dir, file));
    await page.getByTestId('chosen-file').waitFor();
    await page.getByLabel(KM.title).fill(title);
    await page.getByLabel(KM.description, { exact: true }).fill('យុវជនម្នាក់និយាយអំពីការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព។');
    await page.getByTestId('upload-consent').check();
  }

  async function expectFitsWidth(page: Page): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  async function testimoniesTitled(title: string): Promise<Testimony[]> {
    return (await testDb()).getRepository(Testimony).find({ where: { title } });
  }

  test('an educator sends a video with a Khmer title, lands on it, and sees it processing in My testimonies', async () => {
    const educator = await createTestUser('educator');
    const { page, errors } = await phone();
    await signIn(page, educator);
    await openUpload(page);
    await expectFitsWidth(page);
    const title = `រឿងរបស់សុខា ${Date.now().toString(36)}`;
    await fillForm(page, 'clip.mp4', title);
    await page.screenshot({ path: join(SHOTS, 'upload-form.png'), fullPage: true });
    await page.getByTestId('upload-submit').click();

    await page.waitForURL(new RegExp(`/testimonies/${UUID.source}\\?consent=new$`));
    const id = new URL(page.url()).pathname.split('/').pop();
    const item = page.getByTestId('testimony-page');
    await item.waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    // No worker runs in this test, so it stays "processing".
    expect(await item.getAttribute('data-status')).toBe('processing');
    expect(await page.getByTestId('status').textContent()).toBe(KM.statusProcessing);
    expect(await page.getByTestId('consent-date').locator('time').count()).toBe(1);
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'upload-item.png'), fullPage: true });

    const saved = await testimoniesTitled(title);
    expect(saved.map((t) => [t.id, t.kind, t.language, t.educatorId, t.communeId])).toEqual([[id, 'video', 'km', educator.id, educator.communeId]]);
    expect(saved[0]?.consentDeclaredAt).toBeTruthy();

    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-testimonies').click();
    await page.getByRole('heading', { level: 1, name: KM.myTestimonies }).waitFor();
    const card = page.locator(`[data-testid="testimony-item"][data-id="${id}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('processing');
    expect(await card.locator('.item-title').textContent()).toBe(title);
    await card.getByTestId('processing-progress').waitFor();
    // Before approval the educator may delete it.
    expect(await card.getByTestId('delete-testimony').count()).toBe(1);
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'upload-mine.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('an upload survives a dropped link: it waits for the connection and finishes by itself, once', async () => {
    const educator = await createTestUser('educator');
    const { page, context, errors } = await phone();
    await signIn(page, educator);
    await openUpload(page);
    const title = `ខ្សែដាច់ ${Date.now().toString(36)}`;
    await fillForm(page, 'long.mp4', title);

    // The second chunk is cut off as if the phone lost its signal.
    let patches = 0;
    await page.route('**/api/uploads/tus/**', async (route) => {
      if (route.request().method() === 'PATCH' && ++patches === 2) {
        await context.setOffline(true);
        await route.abort('internetdisconnected');
        return;
      }
      await route.continue();
    });
    await page.getByTestId('upload-submit').click();

    const progress = page.locator('[data-testid="upload-progress"][data-phase="offline"]');
    await progress.waitFor();
    expect(await page.getByTestId('upload-status').textContent()).toBe(KM.waiting);
    // Part of the file is already on the server.
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).not.toBe('0');
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'upload-offline.png') });

    await context.setOffline(false);
    await page.waitForURL(new RegExp(`/testimonies/${UUID.source}\\?consent=new$`), { timeout: 60_000 });
    await page.getByTestId('testimony-page').waitFor();
    expect(patches).toBeGreaterThanOrEqual(3);
    const saved = await testimoniesTitled(title);
    expect(saved).toHaveLength(1);
    expect(new URL(page.url()).pathname).toBe(`/testimonies/${saved[0]?.id}`);
    expect(errors).toEqual([]);
  });

  test('a file over the limit is refused on the phone before any byte is sent', async () => {
    const educator = await createTestUser('educator');
    const { page, uploads } = await phone();
    await signIn(page, educator);
    await openUpload(page);
    await page.getByTestId('upload-file').setInputFiles(join(dir, 'huge.mp4'));
    const message = page.getByTestId('file-error');
    await message.waitFor();
    const text = (await message.textContent()) ?? '';
    expect(text.startsWith(KM.tooBigStart)).toBe(true);
    expect(text).toContain('GB');
    expect(await page.getByTestId('chosen-file').count()).toBe(0);
    await page.getByTestId('upload-submit').click();
    await page.locator('.form-message .notice-error').waitFor();
    expect(uploads).toEqual([]);
    await expectFitsWidth(page);
  });

  test('a text file renamed .mp4 gets the server refusal in plain Khmer', async () => {
    const educator = await createTestUser('educator');
    const { page, errors } = await phone();
    await signIn(page, educator);
    await openUpload(page);
    const title = `មិនមែនវីដេអូ ${Date.now().toString(36)}`;
    await fillForm(page, 'notes.mp4', title);
    await page.getByTestId('upload-submit').click();
    const refusal = page.getByTestId('upload-error');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.locator('p').nth(1).textContent()).toBe(KM.notMedia);
    // What was typed is still there, to choose another file and send again.
    expect(await page.getByLabel(KM.title).inputValue()).toBe(title);
    expect(await testimoniesTitled(title)).toEqual([]);
    await expectFitsWidth(page);
    expect(errors).toEqual([]);
  });

  test('an editor filters the list by kind and place, and opens an item', async () => {
    const commune = await anyCommune();
    const educator = await createTestUser('educator', { communeId: commune.id, displayName: 'សុខា' });
    const tag = Date.now().toString(36);
    const video = await createTestTestimony(educator, { title: `វីដេអូ ${tag}`, status: TestimonyStatus.InReview });
    const photo = await createTestTestimony(educator, { title: `រូបថត ${tag}`, kind: MediaKind.Photo, status: TestimonyStatus.Processing });
    const failed = await createTestTestimony(educator, { title: `បរាជ័យ ${tag}`, status: TestimonyStatus.ProcessingFailed });
    const repo = (await testDb()).getRepository(Testimony);
    await repo.update(video.id, { placeholder: THUMBHASH, description: 'ការពិពណ៌នាសាកល្បង', consentDeclaredAt: new Date() });
    await repo.update(failed.id, { failureReason: 'The video file is damaged and could not be read.', failureCode: 'MEDIA_TRUNCATED', failureFigures: null });
    await repo.update(photo.id, { progress: 40 });
    // Renditions as the pipeline would leave them: the review video, its poster and the list thumbnail.
    const storage = app.app.get(StorageService);
    const addRendition = async (role: AssetRole, variant: string, file: string, mimeType: string) => {
      const body = readFileSync(join(dir, file));
      const storageKey = `testimonies/${video.id}/r0/${randomUUID()}.${file.split('.').pop()}`;
      await storage.put(storageKey, body, { contentType: mimeType, contentLength: body.length });
      await (await testDb()).getRepository(Asset).save({ testimonyId: video.id, role, variant, storageKey, mimeType, byteSize: body.length, width: 320, height: 240 });
    };
    await addRendition(AssetRole.Review, '', 'clip.mp4', 'video/mp4');
    await addRendition(AssetRole.Poster, '', 'poster.jpg', 'image/jpeg');
    await addRendition(AssetRole.Thumbnail, '320w-webp', 'poster.jpg', 'image/jpeg');

    const editor = await createTestUser('editor');
    const { page, errors } = await phone();
    await signIn(page, editor);
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-testimonies').click();
    await page.getByRole('heading', { level: 1, name: KM.testimonies }).waitFor();
    const list = page.getByTestId('testimony-list');
    await list.locator(`[data-id="${video.id}"]`).waitFor();
    // Worded from its code in the reader's language; the English reason stays folded away for staff.
    const failure = list.locator(`[data-id="${failed.id}"] [data-testid="failure-reason"]`);
    expect(await failure.locator('p').first().textContent()).toContain(KM.failTruncated);
    expect(await failure.locator('details').textContent()).toContain('The video file is damaged and could not be read.');
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'upload-editor-list.png'), fullPage: true });

    // Kind: photos only.
    await page.getByTestId('filter-kind').selectOption('photo');
    await page.waitForURL(/kind=photo/);
    await list.locator(`[data-id="${video.id}"]`).waitFor({ state: 'detached' });
    await list.locator(`[data-id="${photo.id}"]`).waitFor();
    expect(await list.locator('[data-testid="testimony-item"]').evaluateAll((els) => els.map((e) => e.querySelector('.item-meta')?.textContent ?? ''))).toEqual(
      expect.arrayContaining([expect.stringContaining('រូបថត')]),
    );

    // Province, then commune (the commune list follows the province).
    await page.getByTestId('filter-kind').selectOption('');
    await page.getByTestId('filter-province').selectOption(commune.province.id);
    await page.waitForURL(new RegExp(`provinceId=${commune.province.id}`));
    await page.getByTestId('filter-commune').selectOption(commune.id);
    await page.waitForURL(new RegExp(`communeId=${commune.id}`));
    await page.getByTestId('filter-status').selectOption('in_review');
    await page.waitForURL(/status=in_review/);
    await list.locator(`[data-id="${failed.id}"]`).waitFor({ state: 'detached' });
    await list.locator(`[data-id="${video.id}"]`).waitFor();
    // The thumbhash placeholder is drawn without any network, then the thumbnail loads over it.
    expect(await list.locator(`[data-id="${video.id}"] .thumb`).evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/^url\("data:image\/png/);
    await list.locator(`[data-id="${video.id}"] .thumb img.is-loaded`).waitFor();

    await list.locator(`[data-id="${video.id}"] .item-title a`).click();
    await page.waitForURL(`**/testimonies/${video.id}`);
    await page.getByTestId('testimony-page').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(video.title);
    expect(await page.locator('.description').textContent()).toBe('ការពិពណ៌នាសាកល្បង');
    // The review player: presigned review rendition and poster. Editors scrub and comment at moments on
    // desktop links, so their player fetches the metadata (the length) at once.
    const player = page.getByTestId('review-video');
    await player.waitFor();
    expect(await player.evaluate((v: HTMLVideoElement, id) => [v.preload, v.controls, v.playsInline, !!v.poster, new URL(v.src).pathname.includes(id)], video.id)).toEqual([
      'metadata',
      true,
      true,
      true,
      true,
    ]);
    // The link works (S3 answers, the page's CSP allows it).
    await page.waitForFunction(() => (document.querySelector('[data-testid="review-video"]') as HTMLVideoElement).readyState >= 1, undefined, { timeout: 15_000 });
    await page.getByRole('button', { name: KM.processAgain }).waitFor();
    // Editors do not delete.
    expect(await page.getByTestId('delete-testimony').count()).toBe(0);
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'upload-editor-item.png'), fullPage: true });
    expect(errors).toEqual([]);

    // The educator who filmed it, on phone data: the same player downloads nothing before play.
    const mine = await phone();
    await signIn(mine.page, educator);
    await mine.page.goto(`${app.url}/testimonies/${video.id}`);
    const own = mine.page.getByTestId('review-video');
    await own.waitFor();
    expect(await own.evaluate((v: HTMLVideoElement) => [v.preload, v.readyState])).toEqual(['none', 0]);
    expect(mine.errors).toEqual([]);
  });
});

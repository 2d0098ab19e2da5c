/**
 * The educator's phone with no signal (issue 14): once opened, the app opens from its service worker;
 * a photo (with a consent record) and a video are kept in the outbox; they survive a reload and the
 * browser being closed and opened again (the same profile directory); when the network returns both
 * arrive once, with the same bytes, the same details and the consent that was given.
 *
 * A transfer cut mid-file, the browser then closed, goes on from where it stopped. A phone with no room left says so and loses nothing already kept.
 *
 * Needs the built web app (npx vite build --config web/vite.config.ts) and ffmpeg.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ConsentRecord } from '../../src/modules/consent/consent-record.entity';
import { Testimony } from '../../src/modules/testimonies/testimony.entity';
import { CHROMIUM_OPTIONS, signedInPhone } from '../support/browser';
import { closeTestDb, createTestUser, startTestApp, testDb, type TestUser } from '../support/test-app';
import { makeMedia, sha256 } from '../support/upload-helpers';

jest.setTimeout(240_000);

/** Written out here (not imported from web/src/i18n) so a wrong translation fails the test. */
const KM = {
  username: 'ឈ្មោះអ្នកប្រើ',
  password: 'ពាក្យសម្ងាត់',
  signIn: 'ចូល',
  uploadTitle: 'ផ្ញើវីដេអូ ឬរូបថត',
  title: /^ចំណងជើង/,
  description: 'ការពិពណ៌នា',
  offline: 'គ្មានអ៊ីនធឺណិត៖ កំពុងបង្ហាញអ្វីដែលអ្នកបានឃើញចុងក្រោយ។ វានឹងធ្វើបច្ចុប្បន្នភាព ពេលអ៊ីនធឺណិតមកវិញ។',
  myTestimonies: 'ទីបន្ទាល់របស់ខ្ញុំ',
  phoneFull: 'ទូរស័ព្ទនេះគ្មានកន្លែងទុកឯកសារនេះទេ (',
};

describe('the app and its outbox with no network', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let educator: TestUser;
  let profile: string;
  let media: Awaited<ReturnType<typeof makeMedia>>;
  let context: BrowserContext | null = null;

  beforeAll(async () => {
    app = await startTestApp();
    educator = await createTestUser('educator');
    profile = mkdtempSync(join(tmpdir(), 'migra-phone-'));
    media = await makeMedia();
  });
  afterAll(async () => {
    await context?.close();
    await app.close();
    await closeTestDb();
    rmSync(profile, { recursive: true, force: true });
    rmSync(media.dir, { recursive: true, force: true });
  });

  /** The same phone each time: its profile (service worker, IndexedDB, cookies) stays in `profile`. */
  async function openPhone(): Promise<Page> {
    await context?.close();
    context = await chromium.launchPersistentContext(profile, { ...CHROMIUM_OPTIONS, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    return context.pages()[0] ?? (await context.newPage());
  }

  async function queue(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, title: string): Promise<void> {
    await page.getByTestId('upload-file').setInputFiles(file);
    await page.getByLabel(KM.title).fill(title);
    await page.getByLabel(KM.description, { exact: true }).fill(`${title}: ការពិពណ៌នា`);
    await page.getByTestId('upload-consent').check();
    await page.getByTestId('upload-submit').click();
    await page.getByTestId('outbox-item').filter({ hasText: title }).waitFor();
  }

  test('opens offline, keeps a photo and a video through a reload and a closed browser, and sends each once when the network returns', async () => {
    let page = await openPhone();
    await page.goto(`${app.url}/testimonies`);
    await page.getByLabel(KM.username, { exact: true }).fill(educator.username);
    await page.getByLabel(KM.password, { exact: true }).fill(educator.password);
    await page.getByRole('button', { name: KM.signIn, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: KM.myTestimonies }).waitFor();
    // The service worker has taken the page and cached the app shell.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: KM.myTestimonies }).waitFor();

    await context!.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: KM.myTestimonies }).waitFor();
    await page.getByTestId('offline-banner').filter({ hasText: KM.offline }).waitFor();

    await page.goto(`${app.url}/upload`);
    await page.getByRole('heading', { level: 1, name: KM.uploadTitle }).waitFor();
    await queue(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: media.jpeg }, 'រូបថតគ្មានសេវា');
    // A consent record taken with the person, with no signal.
    await page.getByTestId('outbox-record-consent').click();
    await page.getByTestId('consent-person').fill('ក.ម');
    await page.getByTestId('consent-explained-by').fill('សុខា');
    await page.getByTestId('consent-channel-facebook_page').check();
    await page.getByTestId('consent-save').click();
    await page.getByTestId('outbox-item').filter({ hasText: 'រូបថតគ្មានសេវា' }).filter({ hasText: 'បានកត់ត្រាការយល់ព្រម' }).waitFor();
    await queue(page, { name: 'clip.mp4', mimeType: 'video/mp4', buffer: media.mp4 }, 'វីដេអូគ្មានសេវា');

    await page.reload();
    await page.getByTestId('outbox-item').nth(1).waitFor();
    expect(await page.getByTestId('outbox-item').count()).toBe(2);
    await context!.close();

    page = await openPhone();
    await context!.setOffline(true);
    await page.goto(`${app.url}/upload`);
    await page.getByTestId('outbox-item').nth(1).waitFor();
    expect(await page.getByTestId('outbox-item').count()).toBe(2);
    expect(await (await testDb()).getRepository(Testimony).countBy({ educatorId: educator.id })).toBe(0);

    await context!.setOffline(false);
    await page.getByTestId('outbox').waitFor({ state: 'detached', timeout: 120_000 });

    const items = await (await testDb()).getRepository(Testimony).find({ where: { educatorId: educator.id }, order: { title: 'ASC' } });
    expect(items.map((item) => [item.title, item.description, item.originalSha256])).toEqual(
      [
        ['រូបថតគ្មានសេវា', 'រូបថតគ្មានសេវា: ការពិពណ៌នា', sha256(media.jpeg)],
        ['វីដេអូគ្មានសេវា', 'វីដេអូគ្មានសេវា: ការពិពណ៌នា', sha256(media.mp4)],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    const photo = items.find((item) => item.title === 'រូបថតគ្មានសេវា')!;
    const video = items.find((item) => item.title === 'វីដេអូគ្មានសេវា')!;
    const consents = (await testDb()).getRepository(ConsentRecord);
    expect((await consents.findBy({ testimonyId: photo.id })).map((c) => c.personLabel)).toEqual(['ក.ម']);
    expect(await consents.countBy({ testimonyId: video.id })).toBe(0);
  });

  test('a phone with no room for a video says so plainly, and the photo already kept stays', async () => {
    const browser = await chromium.launch(CHROMIUM_OPTIONS);
    try {
      const owner = await createTestUser('educator');
      const { page, errors } = await signedInPhone(browser, `${app.url}/upload`, owner, [], { serviceWorkers: 'block' });
      await page.getByRole('heading', { level: 1, name: KM.uploadTitle }).waitFor();
      // Room for the photo, not for the video: the browser's own quota, as on a full phone.
      const used = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: app.url, quotaSize: used + media.jpeg.length + 20_000 });
      expect(media.mp4.length).toBeGreaterThan(media.jpeg.length + 20_000);
      await page.context().setOffline(true);

      await queue(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: media.jpeg }, 'រូបថតមុនពេញ');
      await page.getByTestId('upload-file').setInputFiles({ name: 'clip.mp4', mimeType: 'video/mp4', buffer: media.mp4 });
      await page.getByLabel(KM.title).fill('វីដេអូពេលពេញ');
      await page.getByTestId('upload-consent').check();
      await page.getByTestId('upload-submit').click();
      await page.locator('.notice-error', { hasText: KM.phoneFull }).waitFor();
      expect(await page.getByTestId('outbox-item').count()).toBe(1);
      // What the phone holds, read afresh from IndexedDB: the photo, whole.
      const kept = await page.evaluate(
        () =>
          new Promise<Array<{ title: string; size: number }>>((resolve, reject) => {
            const open = indexedDB.open('migra-outbox');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const all = open.result.transaction('items').objectStore('items').getAll();
              all.onsuccess = () => resolve(all.result.map((item: { fields: { title: string }; file: Blob }) => ({ title: item.fields.title, size: item.file.size })));
            };
          }),
      );
      expect(kept).toEqual([{ title: 'រូបថតមុនពេញ', size: media.jpeg.length }]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  test('a transfer cut mid-file goes on from where it stopped when the closed browser opens again', async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    profile = mkdtempSync(join(tmpdir(), 'migra-phone-'));
    const owner = await createTestUser('educator');
    let page = await openPhone();
    await page.goto(`${app.url}/upload`);
    await page.getByLabel(KM.username, { exact: true }).fill(owner.username);
    await page.getByLabel(KM.password, { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: KM.signIn, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: KM.uploadTitle }).waitFor();
    await context!.setOffline(true);
    await queue(page, { name: 'clip.mp4', mimeType: 'video/mp4', buffer: media.mp4 }, 'វីដេអូកាត់ពាក់កណ្ដាល');

    // Signal returns and drops in the middle of the file: the server gets the first half, the phone a
    // reset connection, and then nothing more (its retries hang) until the browser is closed.
    let cut = false;
    const halfSent = new Promise<void>((resolve) => {
      void context!.route(/\/api\/uploads\/tus\/[^/]+$/, async (route) => {
        const request = route.request();
        if (cut) return; // no signal any more: never answered
        if (request.method() !== 'PATCH') return route.continue();
        cut = true;
        const body = request.postDataBuffer()!;
        const half = body.subarray(0, Math.floor(body.length / 2));
        await route.fetch({ postData: half, headers: { ...(await request.allHeaders()), 'content-length': String(half.length) } });
        await route.abort('connectionreset');
        resolve();
      });
    });
    await context!.setOffline(false);
    await halfSent;
    await context!.close();

    const offsets: number[] = [];
    page = await openPhone();
    page.on('request', (request) => {
      if (request.method() === 'PATCH') offsets.push(Number(request.headers()['upload-offset']));
    });
    // The outbox list appears only once read from IndexedDB: wait for the transfer, not for the list.
    const resumed = page.waitForRequest((request) => request.method() === 'PATCH', { timeout: 60_000 });
    await page.goto(`${app.url}/upload`);
    await resumed;
    await page.getByTestId('outbox').waitFor({ state: 'detached', timeout: 60_000 });

    expect(offsets[0]).toBeGreaterThan(0);
    expect(offsets[0]).toBeLessThan(media.mp4.length);
    const items = await (await testDb()).getRepository(Testimony).findBy({ educatorId: owner.id });
    expect(items.map((item) => [item.title, item.originalSha256])).toEqual([['វីដេអូកាត់ពាក់កណ្ដាល', sha256(media.mp4)]]);
  });
});

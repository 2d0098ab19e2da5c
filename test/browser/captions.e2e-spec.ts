/**
 * Browser test of the caption editor and of captions in the review player: a real API serving the built
 * web/dist and a real worker (speech segments, preview frames, burn-in), driven by Debian's Chromium on a
 * 360 px phone in Khmer.
 *
 * Needs `npm run api:generate && npx vite build --config web/vite.config.ts` first, and ffmpeg.
 * Screenshots for a person to look at go to $WEB_SHELL_SCREENSHOTS (default /tmp):
 *   captions-editor.png (an editor's captions after saving, with a reading tip and the preview frame),
 *   captions-conflict.png (someone else saved first), captions-readonly.png (a lead's view).
 */
import { INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { Testimony } from '../../src/modules/testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../../src/modules/testimonies/testimony-status';
import { launchChromium } from '../support/browser';
import { SPOKEN_AT, spokenClip } from '../support/caption-fixtures';
import { waitFor } from '../support/faults';
import { placeOriginal, testimonyRow } from '../support/processing-fixtures';
import { dropQueueKeys, specQueuePrefix } from '../support/test-env';
import { closeTestDb, createTestUser, login, startTestApp, startTestWorker, testDb, type TestApp, type TestUser } from '../support/test-app';

jest.setTimeout(240_000);

const SHOTS = process.env.WEB_SHELL_SCREENSHOTS ?? '/tmp';
const WEB_DIST = resolve(__dirname, '../../web/dist/index.html');
const PHONE = { width: 360, height: 740 };
const VIDEO = { kind: MediaKind.Video, mimeType: 'video/mp4', extension: 'mp4' };

/** Written out here (not imported from web/src/i18n) so a wrong translation fails the test. */
const KM = {
  username: 'ឈ្មោះអ្នកប្រើ',
  password: 'ពាក្យសម្ងាត់',
  signIn: 'ចូល',
  editCaptions: 'កែអក្សររត់',
  viewCaptions: 'មើលអក្សររត់',
  proposeTimings: 'ស្នើពេលវេលា',
  useTimings: 'ប្រើពេលវេលាទាំងនេះ',
  machineTranscript: 'ឲ្យម៉ាស៊ីនសរសេរពាក្យ',
  save: 'រក្សាទុក',
  savedVersion: (v: string) => `បានរក្សាទុកជាកំណែទី ${v}។`,
  previewAt: (time: string) => `បង្ហាញរូបភាពនៅ ${time}`,
  makeVideo: 'បង្កើតវីដេអូមានអក្សររត់',
  stale: 'អក្សររត់បានប្ដូរ ក្រោយពេលបង្កើតវីដេអូនេះ។ សូមបង្កើតវាម្តងទៀត មុននឹងផ្សាយ។',
  noSpeechEngine: 'ប្រព័ន្ធនេះមិនទាន់មានមុខងារ «ឲ្យម៉ាស៊ីនសរសេរពាក្យ» នៅឡើយទេ។ សូមចុច «ស្នើពេលវេលា» ហើយវាយពាក្យដោយខ្លួនឯង។ អ្នកគ្រប់គ្រងប្រព័ន្ធអាចរៀបចំមុខងារនេះបាន។',
  tooShortTip: 'យោបល់៖ ឃ្លានេះបង្ហាញតែ ៤០០ មិល្លីវិនាទី។ តិចជាង ៨០០ មិល្លីវិនាទី វាបាត់លឿនពេក។ សូមបង្ហាញវាឲ្យយូរបន្តិច។',
  conflict: 'មានអ្នកផ្សេងបានកែអក្សររត់នេះ ពេលអ្នកកំពុងធ្វើការ។',
  saveOver: 'រក្សាទុករបស់ខ្ញុំជំនួស',
  leaveUnsaved: 'អ្នកមានការកែប្រែដែលមិនទាន់រក្សាទុក។ ចាកចេញពីទំព័រនេះ ហើយបោះបង់វាចោលឬ?',
  importDone: (file: string) => `បាននាំចូល ២ ឃ្លាពី ${file}។`,
  importNotDone: (file: string) => `មិនបាននាំចូល ${file} ទេ។ សូមកែបន្ទាត់ទាំងនេះក្នុងឯកសារ រួចនាំចូលម្តងទៀត៖`,
  /** Where in the file, then the same words as the editor's own check for a cue that ends before it starts. */
  endBeforeStartAtLine6: 'បន្ទាត់ទី ៦ · ឃ្លាទី ២ (០:០៥.០០០ – ០:០៤.០០០)៖ ពេលបញ្ចប់នៅមុនពេលចាប់ផ្ដើម។ សូមដាក់ពេលបញ្ចប់ឲ្យនៅក្រោយពេលចាប់ផ្ដើម។',
  readOnly: 'អ្នកអាចមើល និងអានអក្សររត់នេះ ប៉ុន្តែមិនអាចកែបានទេ។ បើមានអ្វីត្រូវកែ សូមប្រាប់អ្នកកែសម្រួល។',
  noText: 'មិនទាន់មានពាក្យទេ។ សូមវាយពាក្យដែលគេនិយាយ ឬលុបឃ្លានេះចោល។',
  earlierVersions: 'កំណែមុនៗ',
  bringBack: 'យកមកវិញ',
  savedState: (v: string) => `បានរក្សាទុក (កំណែទី ${v})`,
};
/**
 * Khmer words with no spaces between them, as Khmer is written: ម្ដាយ|ខ្ញុំ|នៅ|ផ្ទះ ("my mother is at
 * home"). Word dictionaries differ on compounds (Chromium's splits នៅ|ផ្ទះ, Node's does not), never
 * between ខ្ញុំ and នៅ, where the split below falls.
 */
const FIRST_WORDS = 'ម្ដាយខ្ញុំនៅផ្ទះ';
const FIRST_HALVES = ['ម្ដាយខ្ញុំ', 'នៅផ្ទះ'];
const SECOND_WORDS = 'ដោយគ្មានលិខិតឆ្លងដែន';

interface SavedTrack {
  version: number;
  cues: { startMs: number; endMs: number; text: string }[];
}

describe('captions in the browser', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'migra-captions-web-'));
  // The same isolated queue for the API and the worker, so no other spec's worker takes these jobs.
  const env = { MEDIA_WORK_DIR: join(scratch, 'work') };
  let app: TestApp;
  let worker: INestApplicationContext;
  let browser: Browser;
  let owner: TestUser;
  let editor: TestUser;
  let lead: TestUser;
  let editorToken: string;
  /** Processed videos, one per test that changes captions, so the tests do not depend on each other. */
  let videos: { editing: string; conflict: string; reading: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`No ${WEB_DIST}: build the web app before this test.`);
    app = await startTestApp({ env });
    worker = await startTestWorker(env);
    browser = await launchChromium();
    owner = await createTestUser('educator');
    editor = await createTestUser('editor');
    lead = await createTestUser('lead');
    editorToken = await login(app.url, editor);
    const clip = spokenClip(scratch, '640x360');
    const [editing, conflict, reading] = await Promise.all([0, 1, 2].map(() => processedVideo(clip)));
    videos = { editing, conflict, reading };
  }, 180_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await app?.close();
    await dropQueueKeys(specQueuePrefix());
    await closeTestDb();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function processedVideo(clip: string): Promise<string> {
    const { testimony } = await placeOriginal(app, owner, { path: clip, ...VIDEO });
    await waitFor(`testimony ${testimony.id} to be processed`, async () => (await testimonyRow(testimony.id))?.status === TestimonyStatus.InReview, 90_000);
    return testimony.id;
  }

  const captionsApi = (method: 'get' | 'put', id: string, language: string) =>
    request(app.url)[method](`/api/testimonies/${id}/captions/${language}`).set('Authorization', `Bearer ${editorToken}`);

  async function phone(user: TestUser): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(app.url, { waitUntil: 'load' });
    await page.getByLabel(KM.username, { exact: true }).fill(user.username);
    await page.getByLabel(KM.password, { exact: true }).fill(user.password);
    await page.getByRole('button', { name: KM.signIn, exact: true }).click();
    await page.getByTestId('menu-toggle').waitFor();
    return { page, errors };
  }

  /** Opens the item, then its captions through the item page's link. */
  async function openCaptions(page: Page, id: string, linkText: string): Promise<void> {
    await page.goto(`${app.url}/testimonies/${id}`);
    await page.getByTestId('captions-card').getByRole('link', { name: linkText }).click();
    await page.getByTestId('captions-page').waitFor();
    await page.locator('[data-testid="captions-page"] .loading').waitFor({ state: 'detached' });
  }

  /** Moves the editor's video to `seconds` (once it knows its length) and waits until the page has seen it. */
  async function playheadTo(page: Page, seconds: number): Promise<void> {
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!.readyState >= 1);
    await page.evaluate((s) => {
      document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!.currentTime = s;
    }, seconds);
    await page.waitForFunction((s) => document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!.seeking === false && Math.abs(document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!.currentTime - s) < 0.01, seconds);
  }

  /** The cues the video element itself shows, from its text track in "showing" mode. */
  function shownCues(page: Page, count: number): Promise<Array<[number, number, string]>> {
    return page
      .waitForFunction((n) => {
        const video = document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!;
        const track = Array.from(video.textTracks).find((t) => t.mode === 'showing');
        const cues = Array.from(track?.cues ?? []) as VTTCue[];
        return cues.length === n && cues.map((c) => [Math.round(c.startTime * 1000), Math.round(c.endTime * 1000), c.text]);
      }, count)
      .then((handle) => handle.jsonValue() as Promise<Array<[number, number, string]>>);
  }

  const cue = (page: Page, index: number) => page.getByTestId('cue').nth(index);

  async function expectCueCount(page: Page, count: number): Promise<void> {
    await cue(page, count - 1).waitFor();
    expect(await page.getByTestId('cue').count()).toBe(count);
  }

  /** Waits for the save outcome with this text (an earlier message may still be showing until the answer arrives). */
  const saveMessage = (page: Page, text: string) => page.getByTestId('save-message').filter({ hasText: text }).waitFor();

  async function expectFitsWidth(page: Page): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  test('an editor proposes timings, types Khmer, times and splits cues with Alt shortcuts, saves, previews and burns them in', async () => {
    const id = videos.editing;
    const { page, errors } = await phone(editor);
    await openCaptions(page, id, KM.editCaptions);
    await expectFitsWidth(page);

    // No speech engine on this server: the refusal's code is said in Khmer, with what to do instead.
    await page.getByRole('button', { name: KM.machineTranscript }).click();
    expect(await page.getByTestId('task-transcript').getByTestId('task-refused').textContent()).toBe(KM.noSpeechEngine);

    await page.getByRole('button', { name: KM.proposeTimings }).click();
    await page.locator('[data-testid="task-speech-segments"][data-status="done"]').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: KM.useTimings }).click();
    await expectCueCount(page, 2);
    // Empty cues are problems until someone types the words.
    expect(await cue(page, 0).getByTestId('cue-problem').textContent()).toBe(KM.noText);
    const proposed = await shownCues(page, 2);
    proposed.forEach(([start, end], i) => {
      expect(Math.abs(start - SPOKEN_AT[i][0])).toBeLessThanOrEqual(200);
      expect(Math.abs(end - SPOKEN_AT[i][1])).toBeLessThanOrEqual(200);
    });

    await cue(page, 0).getByTestId('cue-text').fill(FIRST_WORDS);
    await cue(page, 1).getByTestId('cue-text').fill(SECOND_WORDS);
    expect(await cue(page, 0).getByTestId('cue-text').getAttribute('lang')).toBe('km');

    // Alt+O while typing in cue 2: its end moves to the playhead.
    await cue(page, 1).getByTestId('cue-text').click();
    await playheadTo(page, 3.9);
    await page.keyboard.press('Alt+o');
    expect(await cue(page, 1).locator('[data-testid="cue-end"] output').textContent()).toBe('០:០៣.៩០០');
    expect(await cue(page, 1).getByTestId('cue-text').inputValue()).toBe(SECOND_WORDS);

    // Alt+K in cue 1 (about 1.0–2.5 s) at 1.94 s: about 62 % into it, that is 10 of its 16 characters, right after ខ្ញុំ.
    await cue(page, 0).getByTestId('cue-text').click();
    await playheadTo(page, 1.94);
    await page.keyboard.press('Alt+k');
    await expectCueCount(page, 3);
    expect(await page.getByTestId('cue-text').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value))).toEqual([...FIRST_HALVES, SECOND_WORDS]);
    // The player already shows the unsaved cues.
    const shown = await shownCues(page, 3);
    expect(shown.map(([start, end, text]) => [start, end, text])).toEqual([
      [proposed[0][0], 1940, FIRST_HALVES[0]],
      [1940, proposed[0][1], FIRST_HALVES[1]],
      [proposed[1][0], 3900, SECOND_WORDS],
    ]);
    await expectFitsWidth(page);

    await page.getByTestId('save-captions').click();
    await saveMessage(page, KM.savedVersion('១'));
    // Cue 3 is on screen for 400 ms: a reading tip beside it, worded in Khmer from its kind and figures, that did not stop the save.
    expect(await cue(page, 2).getByTestId('cue-warning').allTextContents()).toContain(KM.tooShortTip);
    const saved: SavedTrack = (await captionsApi('get', id, 'km')).body;
    expect(saved.version).toBe(1);
    expect(saved.cues.map((c) => c.text)).toEqual([...FIRST_HALVES, SECOND_WORDS]);
    expect(saved.cues[2].endMs).toBe(3900);

    // The server draws the saved captions into the frame at the playhead.
    await playheadTo(page, 1.2);
    await page.getByRole('button', { name: KM.previewAt('០:០១.២០០') }).click();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="preview-image"]');
      return !!img && img.complete && img.naturalWidth === 640;
    }, undefined, { timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'captions-editor.png'), fullPage: true });

    await page.getByRole('button', { name: KM.makeVideo }).click();
    const burned = page.getByTestId('burned-video');
    await burned.waitFor({ timeout: 90_000 });
    expect(await burned.getAttribute('data-stale')).toBe('false');
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="burned-video"] video')!.src.startsWith('http'));

    // After a reload the saved Khmer words come back from the server.
    await page.reload();
    await page.getByTestId('captions-page').waitFor();
    await page.getByTestId('cue-list').waitFor();
    expect(await page.getByTestId('cue-text').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value))).toEqual([...FIRST_HALVES, SECOND_WORDS]);

    // A saved change makes the captioned video out of date, and the page says so.
    await cue(page, 2).locator('[data-testid="cue-end"]').getByRole('button').last().click();
    await page.getByTestId('save-captions').click();
    await saveMessage(page, KM.savedVersion('២'));
    expect(await page.getByTestId('burned-video').getAttribute('data-stale')).toBe('true');
    expect(await page.getByTestId('burn-in').textContent()).toContain(KM.stale);
    expect(errors).toEqual([]);
  });

  test('a broken caption file is refused with its line, a save over someone else’s change says so, and versions and files can undo and replace', async () => {
    const id = videos.conflict;
    const first = await captionsApi('put', id, 'km').send({ cues: [{ startMs: 1000, endMs: 2500, text: FIRST_WORDS }], baseVersion: 0 });
    expect(first.status).toBe(200);
    const { page, errors } = await phone(editor);
    await openCaptions(page, id, KM.editCaptions);

    const broken = join(scratch, 'broken.srt');
    writeFileSync(broken, `1\n00:00:01,000 --> 00:00:02,000\nសួស្តី\n\n2\n00:00:05,000 --> 00:00:04,000\nលាហើយ\n`);
    await page.getByTestId('import-file').setInputFiles(broken);
    const outcome = page.getByTestId('import-outcome');
    await outcome.locator('.notice-error').waitFor();
    expect(await outcome.locator('.notice-error p').textContent()).toBe(KM.importNotDone('broken.srt'));
    // Worded in Khmer from the problem's kind, line and times, not the server's English sentence.
    expect(await outcome.locator('.problem-lines li').allTextContents()).toEqual([KM.endBeforeStartAtLine6]);
    // Nothing was replaced.
    expect(await cue(page, 0).getByTestId('cue-text').inputValue()).toBe(FIRST_WORDS);

    // Someone else saves while this editor is typing.
    await cue(page, 0).getByTestId('cue-text').fill(`${FIRST_WORDS} ណាស់`);
    expect((await captionsApi('put', id, 'km').send({ cues: [{ startMs: 1000, endMs: 2400, text: 'សួស្តី' }], baseVersion: 1 })).status).toBe(200);

    // Unsaved work is not lost to a stray tap on a link.
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.locator('.back-link').click();
    expect(dialogs).toEqual([KM.leaveUnsaved]);
    expect(new URL(page.url()).pathname).toBe(`/testimonies/${id}/captions`);

    await page.getByTestId('save-captions').click();
    const conflict = page.getByTestId('save-conflict');
    await conflict.waitFor();
    expect(await conflict.locator('p').textContent()).toContain(KM.conflict);
    expect(await cue(page, 0).getByTestId('cue-text').inputValue()).toBe(`${FIRST_WORDS} ណាស់`);
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'captions-conflict.png'), fullPage: true });

    await conflict.getByRole('button', { name: KM.saveOver }).click();
    await saveMessage(page, KM.savedVersion('៣'));
    const saved: SavedTrack = (await captionsApi('get', id, 'km')).body;
    expect(saved).toMatchObject({ version: 3, cues: [{ startMs: 1000, endMs: 2500, text: `${FIRST_WORDS} ណាស់` }] });

    // Undo: the other person's version comes back, as a new version.
    await page.getByText(KM.earlierVersions, { exact: true }).click();
    await page.locator('[data-testid="caption-version"][data-version="2"]').getByRole('button', { name: KM.bringBack }).click();
    await page.locator('.save-state').filter({ hasText: KM.savedState('៤') }).waitFor();
    expect(await cue(page, 0).getByTestId('cue-text').inputValue()).toBe('សួស្តី');
    // The list of versions reloads on its own request, after the save state has changed.
    await page.locator('[data-testid="caption-version"][data-version="4"]').waitFor();
    expect(await page.locator('[data-testid="caption-version"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-version')))).toEqual(['4', '3', '2', '1']);

    // A good file replaces the captions.
    const good = join(scratch, 'good.srt');
    writeFileSync(good, `1\n00:00:01,000 --> 00:00:02,000\nសួស្តី\n\n2\n00:00:03,500 --> 00:00:04,000\n${SECOND_WORDS}\n`);
    await page.getByTestId('import-file').setInputFiles(good);
    await outcome.locator('.notice-ok').filter({ hasText: KM.importDone('good.srt') }).waitFor();
    await expectCueCount(page, 2);
    expect(await cue(page, 1).getByTestId('cue-text').inputValue()).toBe(SECOND_WORDS);
    expect((await captionsApi('get', id, 'km')).body).toMatchObject({ version: 5, source: 'uploaded' });
    expect(errors).toEqual([]);
  });

  test('a lead gets captions in the review player and a read-only caption view', async () => {
    const id = videos.reading;
    expect((await captionsApi('put', id, 'km').send({ cues: [{ startMs: 1000, endMs: 2500, text: FIRST_WORDS }] })).status).toBe(200);
    expect((await captionsApi('put', id, 'en').send({ cues: [{ startMs: 1000, endMs: 2500, text: 'I went to work in Thailand' }] })).status).toBe(200);
    const { page, errors } = await phone(lead);
    await page.goto(`${app.url}/testimonies/${id}`);
    await page.getByTestId('testimony-page').waitFor();

    // One same-origin WebVTT track per language; the item's language (Khmer) is the default, and it loads.
    const player = page.getByTestId('review-video');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="review-video"] track').length === 2);
    expect(
      await player.locator('track').evaluateAll((els) =>
        (els as HTMLTrackElement[]).map((t) => [t.kind, t.srclang, t.default, new URL(t.src).origin === location.origin, new URL(t.src).pathname + new URL(t.src).search]),
      ),
    ).toEqual([
      ['captions', 'en', false, true, `/api/testimonies/${id}/captions/en/export?format=vtt`],
      ['captions', 'km', true, true, `/api/testimonies/${id}/captions/km/export?format=vtt`],
    ]);
    const loaded = await page.waitForFunction(() => {
      const track = document.querySelector<HTMLTrackElement>('[data-testid="review-video"] track[default]')!;
      return track.readyState === HTMLTrackElement.LOADED && Array.from(track.track.cues ?? []).map((c) => (c as VTTCue).text);
    });
    expect(await loaded.jsonValue()).toEqual([FIRST_WORDS]);

    await page.getByTestId('captions-card').getByRole('link', { name: KM.viewCaptions }).click();
    await page.getByTestId('captions-page').waitFor();
    await page.getByTestId('cue-list').waitFor();
    expect(await page.locator('.captions-page > .notice-warn').textContent()).toBe(KM.readOnly);
    expect(await page.locator('.cue-text-read').allTextContents()).toEqual([FIRST_WORDS]);
    expect(await page.locator('.cue-text-read').getAttribute('lang')).toBe('km');
    // Nothing offered that the server would refuse.
    for (const testId of ['save-captions', 'cue-text', 'cue-actions', 'proposals', 'import-file']) expect(await page.getByTestId(testId).count()).toBe(0);
    expect(await page.getByRole('button', { name: KM.save }).count()).toBe(0);
    const srt = await page.getByTestId('export-srt').getAttribute('href');
    expect(srt).toBe(`/api/testimonies/${id}/captions/km/export?format=srt`);
    await shownCues(page, 1);
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'captions-readonly.png'), fullPage: true });

    await page.getByTestId('caption-tab-en').click();
    await page.locator('.cue-text-read[lang="en"]').waitFor();
    expect(await page.getByTestId('caption-tab-en').getAttribute('aria-selected')).toBe('true');
    expect((await shownCues(page, 1))[0][2]).toBe('I went to work in Thailand');
    expect(await page.getByTestId('export-srt').getAttribute('href')).toBe(`/api/testimonies/${id}/captions/en/export?format=srt`);
    expect(errors).toEqual([]);
  });

  test('the educator who sent the video may caption it until it is approved, then only read', async () => {
    const id = videos.reading;
    const { page, errors } = await phone(owner);
    await openCaptions(page, id, KM.editCaptions);
    await page.getByTestId('save-captions').waitFor();
    expect(await page.getByTestId('cue-actions').count()).toBe(1);

    await (await testDb()).getRepository(Testimony).update(id, { status: TestimonyStatus.Approved });
    await openCaptions(page, id, KM.viewCaptions);
    expect(await page.locator('.captions-page > .notice-warn').textContent()).toBe(KM.readOnly);
    for (const testId of ['save-captions', 'cue-text', 'cue-actions', 'proposals', 'import-file']) expect(await page.getByTestId(testId).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

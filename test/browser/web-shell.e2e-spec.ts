/**
 * Browser test of the web shell (web/): a real API from test/support/test-app
 * serving the built web/dist, driven by Debian's Chromium through playwright-core.
 *
 * Needs `npm run build:api && npm run build:web` first.
 * Screenshots for a person to look at go to $WEB_SHELL_SCREENSHOTS (default /tmp):
 *   web-km.png (educator, Khmer, 360 px), web-km-menu.png (same, menu open),
 *   web-users.png / web-users-full.png (admin Users page, Khmer: first screen / whole page),
 *   web-users-created.png (the one-time temporary password).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { User } from '../../src/modules/users/user.entity';
import { closeTestDb, createTestUser, startTestApp, testDb } from '../support/test-app';

jest.setTimeout(120_000);

type Role = 'educator' | 'editor' | 'lead' | 'admin';
type Lang = 'km' | 'en';
type NavKey = 'upload' | 'review' | 'testimonies' | 'calendar' | 'publications' | 'facebook-page' | 'reach' | 'screening' | 'users' | 'job-failures' | 'queues' | 'profile' | 'logout';

const SHOTS = process.env.WEB_SHELL_SCREENSHOTS ?? '/tmp';
const WEB_DIST = resolve(__dirname, '../../web/dist/index.html');
const PHONE = { width: 360, height: 740 };

/** Written out here (not imported from web/src/i18n) so a wrong translation fails the test. */
const TEXT = {
  en: {
    nav: {
      upload: 'Upload',
      review: 'Review',
      myTestimonies: 'My testimonies',
      testimonies: 'Testimonies',
      calendar: 'Calendar',
      publications: 'Publications',
      'facebook-page': 'Facebook Page',
      reach: 'Reach',
      screening: 'Record a screening',
      users: 'Users',
      'job-failures': 'Job failures',
      queues: 'Queue dashboard',
      profile: 'Profile',
      logout: 'Sign out',
    },
    signInTitle: 'Sign in',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    wrongPassword: 'The username or password is not correct. Please check them and try again.',
    mustChange: 'Please choose a new password',
  },
  km: {
    nav: {
      upload: 'ផ្ញើវីដេអូ/រូបថត',
      review: 'ពិនិត្យ',
      myTestimonies: 'ទីបន្ទាល់របស់ខ្ញុំ',
      testimonies: 'ទីបន្ទាល់',
      calendar: 'ប្រតិទិន',
      publications: 'ការផ្សព្វផ្សាយ',
      'facebook-page': 'ទំព័រហ្វេសប៊ុក',
      reach: 'ការឈានដល់',
      screening: 'កត់ត្រាការបញ្ចាំង',
      users: 'អ្នកប្រើប្រាស់',
      'job-failures': 'ការងារដែលបរាជ័យ',
      queues: 'ផ្ទាំងជួរការងារ',
      profile: 'ប្រវត្តិរូប',
      logout: 'ចាកចេញ',
    },
    signInTitle: 'ចូលប្រើប្រាស់',
    username: 'ឈ្មោះអ្នកប្រើ',
    password: 'ពាក្យសម្ងាត់',
    signIn: 'ចូល',
    wrongPassword: 'ឈ្មោះអ្នកប្រើ ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវទេ។ សូមពិនិត្យ ហើយព្យាយាមម្តងទៀត។',
    mustChange: 'សូមបង្កើតពាក្យសម្ងាត់ថ្មី',
  },
} as const;

const NAV: Record<Role, NavKey[]> = {
  educator: ['upload', 'testimonies', 'screening', 'profile', 'logout'],
  editor: ['review', 'testimonies', 'calendar', 'publications', 'reach', 'profile', 'logout'],
  lead: ['testimonies', 'publications', 'reach', 'screening', 'profile', 'logout'],
  admin: ['review', 'testimonies', 'calendar', 'publications', 'facebook-page', 'reach', 'users', 'job-failures', 'queues', 'profile', 'logout'],
};

function expectedNav(role: Role, lang: Lang): Array<[string, string]> {
  const nav = TEXT[lang].nav;
  return NAV[role].map((key) => {
    const label = key === 'testimonies' && role === 'educator' ? nav.myTestimonies : nav[key];
    return [`nav-${key}`, label];
  });
}

describe('web shell in the browser', () => {
  let app: { url: string; close(): Promise<void> };
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`No ${WEB_DIST}: run "npm run build:web" before this test.`);
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
  });

  /** A fresh phone-sized browser (own cookies and localStorage), with page errors collected. */
  async function phone(deviceScaleFactor = 1): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor, isMobile: true, hasTouch: true });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(app.url, { waitUntil: 'load' });
    return { page, errors };
  }

  async function chooseLanguage(page: Page, lang: Lang): Promise<void> {
    await page.getByTestId(`lang-${lang}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }

  async function signIn(page: Page, lang: Lang, username: string, password: string): Promise<void> {
    const text = TEXT[lang];
    // getByLabel also proves the labels are tied to their inputs.
    await page.getByLabel(text.username, { exact: true }).fill(username);
    await page.getByLabel(text.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: text.signIn, exact: true }).click();
  }

  /** [data-testid, text] of every nav item a person can see right now. */
  async function visibleNav(page: Page): Promise<Array<[string, string]>> {
    return page.locator('[data-testid^="nav-"]').evaluateAll((els) =>
      els
        .filter((el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
        .map((el) => [el.getAttribute('data-testid') ?? '', (el.textContent ?? '').trim()] as [string, string]),
    );
  }

  async function expectFitsWidth(page: Page): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  async function khmerFontLoaded(page: Page): Promise<boolean> {
    return page.evaluate(async () => {
      await document.fonts.ready;
      let loaded = false;
      document.fonts.forEach((f) => {
        if (f.family.replace(/["']/g, '') === 'Noto Sans Khmer' && f.status === 'loaded') loaded = true;
      });
      return loaded;
    });
  }

  const cases: Array<[Role, Lang]> = (['educator', 'editor', 'lead', 'admin'] as Role[]).flatMap((role) =>
    (['km', 'en'] as Lang[]).map((lang) => [role, lang] as [Role, Lang]),
  );

  test.each(cases)('%s in %s: signs in, sees exactly their navigation, signs out', async (role, lang) => {
    const user = await createTestUser(role, { preferredLanguage: lang });
    const shoot = role === 'educator' && lang === 'km';
    const { page, errors } = await phone(shoot ? 2 : 1);

    await chooseLanguage(page, lang);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(TEXT[lang].signInTitle);
    await signIn(page, lang, user.username, user.password);

    // On a 360 px phone the navigation hides behind the menu button.
    const toggle = page.getByTestId('menu-toggle');
    await toggle.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await visibleNav(page)).toEqual([]);
    await page.getByRole('heading', { level: 1 }).waitFor();
    if (shoot) {
      await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      expect(await khmerFontLoaded(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'web-km.png') });
    }
    await expectFitsWidth(page);

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await visibleNav(page)).toEqual(expectedNav(role, lang));
    if (shoot) await page.screenshot({ path: join(SHOTS, 'web-km-menu.png') });
    await expectFitsWidth(page);

    await page.getByTestId('nav-logout').click();
    await page.getByLabel(TEXT[lang].username, { exact: true }).waitFor();
    expect(await visibleNav(page)).toEqual([]);
    // Signed out for real: a reload stays on the sign-in form.
    await page.reload();
    await page.getByLabel(TEXT[lang].username, { exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  test.each(['en', 'km'] as Lang[])('a wrong password shows a plain message (%s)', async (lang) => {
    const user = await createTestUser('educator', { preferredLanguage: lang });
    const { page } = await phone();
    await chooseLanguage(page, lang);
    await signIn(page, lang, user.username, `${user.password}-wrong`);
    const message = page.locator('[aria-live] .notice-error');
    await message.waitFor();
    expect((await message.textContent())?.trim()).toBe(TEXT[lang].wrongPassword);
    // Still on the sign-in form, password cleared for the next try.
    expect(await page.getByLabel(TEXT[lang].password, { exact: true }).inputValue()).toBe('');
    expect(await page.getByTestId('menu-toggle').count()).toBe(0);
  });

  test('a language chosen on the sign-in page wins over the account\'s and is saved to it', async () => {
    const user = await createTestUser('editor', { preferredLanguage: 'km' });
    const { page, errors } = await phone();
    await chooseLanguage(page, 'en');
    await signIn(page, 'en', user.username, user.password);
    await page.getByTestId('menu-toggle').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect((await (await testDb()).getRepository(User).findOneByOrFail({ id: user.id })).preferredLanguage).toBe('en');
    expect(errors).toEqual([]);
  });

  test('the language choice survives a reload', async () => {
    const { page } = await phone();
    // Khmer is the default.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('km');
    await chooseLanguage(page, 'en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: TEXT.en.signInTitle }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByTestId('lang-en').getAttribute('aria-pressed')).toBe('true');

    await chooseLanguage(page, 'km');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: TEXT.km.signInTitle }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('km');
  });

  test('admin Users page on a phone: fits, and a new educator gets a one-time password', async () => {
    const admin = await createTestUser('admin', { preferredLanguage: 'km' });
    const { page, errors } = await phone(2);
    await signIn(page, 'km', admin.username, admin.password);
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-list').waitFor();
    expect(await visibleNav(page)).toEqual([]); // the menu closes after navigating
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'web-users.png') });
    await page.screenshot({ path: join(SHOTS, 'web-users-full.png'), fullPage: true });

    // Create an educator: the commune is required and comes from /api/places/provinces.
    const username = `ui-${Date.now().toString(36)}`;
    await page.getByTestId('add-user').click();
    const form = page.getByTestId('create-user-form');
    await form.getByLabel('ឈ្មោះអ្នកប្រើ', { exact: true }).fill(username);
    await form.getByLabel('ឈ្មោះបង្ហាញ', { exact: true }).fill('សុខា តេស្ត');
    const commune = form.getByLabel(/^ឃុំ\/សង្កាត់/);
    await page.waitForFunction(() => document.querySelectorAll('#new-commune optgroup option').length > 0);
    const firstCommune = await commune.locator('optgroup option').first().getAttribute('value');
    await commune.selectOption(firstCommune ?? '');
    await form.getByRole('button', { name: 'បង្កើតអ្នកប្រើ' }).click();
    const temp = page.getByTestId('temporary-password-value');
    await temp.waitFor();
    const temporaryPassword = await temp.inputValue();
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);
    await expectFitsWidth(page);
    await page.screenshot({ path: join(SHOTS, 'web-users-created.png') });

    // The new educator must choose a password before anything else.
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-logout').click();
    await signIn(page, 'km', username, temporaryPassword);
    await page.getByTestId('must-change-password').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TEXT.km.mustChange);
    await page.getByTestId('menu-toggle').click();
    expect((await visibleNav(page)).map(([id]) => id)).toEqual(['nav-logout']);
    await page.getByTestId('menu-toggle').click();
    const pwForm = page.getByTestId('change-password-form');
    await pwForm.getByLabel('ពាក្យសម្ងាត់បច្ចុប្បន្ន', { exact: true }).fill(temporaryPassword);
    await pwForm.getByLabel('ពាក្យសម្ងាត់ថ្មី', { exact: true }).fill('short');
    await pwForm.getByLabel('វាយពាក្យសម្ងាត់ថ្មីម្តងទៀត', { exact: true }).fill('short');
    await pwForm.getByRole('button', { name: 'ប្ដូរពាក្យសម្ងាត់' }).click();
    await pwForm.locator('.notice-error').waitFor(); // too short, said in plain words
    const newPassword = 'river mango bicycle 42';
    await pwForm.getByLabel('ពាក្យសម្ងាត់ថ្មី', { exact: true }).fill(newPassword);
    await pwForm.getByLabel('វាយពាក្យសម្ងាត់ថ្មីម្តងទៀត', { exact: true }).fill(newPassword);
    await pwForm.getByRole('button', { name: 'ប្ដូរពាក្យសម្ងាត់' }).click();
    await page.getByRole('heading', { level: 1, name: TEXT.km.nav.myTestimonies }).waitFor();
    expect(errors).toEqual([]);
  });

  test('a session that ends while the app is open leads back to sign-in with a plain message', async () => {
    const user = await createTestUser('editor', { preferredLanguage: 'en' });
    const { page } = await phone();
    await chooseLanguage(page, 'en');
    await signIn(page, 'en', user.username, user.password);
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-profile').click();
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();

    await page.context().clearCookies(); // as if the session expired
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-testimonies').click();
    const notice = page.getByTestId('session-ended');
    await notice.waitFor();
    expect((await notice.textContent())?.trim()).toBe('Your session has ended; please sign in again.');
    // Signing in again returns to the page that was asked for.
    await signIn(page, 'en', user.username, user.password);
    await page.getByRole('heading', { level: 1, name: 'Testimonies' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/testimonies');
  });
  test('the queue dashboard sends a signed-out admin to sign in, then back to the dashboard', async () => {
    const admin = await createTestUser('admin', { preferredLanguage: 'en' });
    const { page, errors } = await phone();
    await page.goto(`${app.url}/admin/queues`, { waitUntil: 'load' });
    expect(new URL(page.url()).search).toBe('?next=%2Fadmin%2Fqueues');
    await chooseLanguage(page, 'en');
    await signIn(page, 'en', admin.username, admin.password);
    await page.waitForURL(/\/admin\/queues/);
    await page.getByText('system', { exact: true }).first().waitFor();
    expect(await page.title()).toBe('Migra Media jobs');
    expect(errors).toEqual([]);
  });
});

import { Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, as root in a sandbox-less container. Without the background-networking
 * flags it keeps trying hosts this machine cannot reach; a browser download of Playwright's own is not
 * possible here.
 */
export const CHROMIUM_OPTIONS = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM_OPTIONS);
}

/** Khmer sign-in labels, written out (not imported from web/src/i18n) so a wrong translation fails. */
const SIGN_IN_KM = { username: 'ឈ្មោះអ្នកប្រើ', password: 'ពាក្យសម្ងាត់', signIn: 'ចូល' };

/**
 * A 360 px phone signed in as `user` in Khmer, collecting the page's uncaught errors. Its contexts go
 * into `contexts` for the spec to close.
 */
export async function signedInPhone(
  browser: Browser,
  url: string,
  user: { username: string; password: string },
  contexts: BrowserContext[],
  options: Pick<BrowserContextOptions, 'timezoneId' | 'serviceWorkers'> = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, ...options });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.getByLabel(SIGN_IN_KM.username, { exact: true }).fill(user.username);
  await page.getByLabel(SIGN_IN_KM.password, { exact: true }).fill(user.password);
  await page.getByRole('button', { name: SIGN_IN_KM.signIn, exact: true }).click();
  await page.getByTestId('menu-toggle').waitFor();
  return { page, errors };
}

import { Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, as root in a sandbox-less container. Without the background-networking
 * flags it keeps trying hosts this machine cannot reach; a browser download of Playwright's own is not
 * possible here.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
  });
}

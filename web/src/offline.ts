import { useSyncExternalStore } from 'react';
import type { Middleware } from 'openapi-fetch';

/**
 * Whether what the app shows is fresh. With no signal the service worker answers the testimony list and
 * the account from what was seen last and marks the answer (Migra-Saved-Copy, see web/vite.config.ts);
 * the banner says so until a fresh answer arrives.
 */

/** The service worker's cache of API answers (web/vite.config.ts, runtimeCaching). */
const API_CACHE = 'migra-api';

let savedCopy = false;
let online = typeof navigator === 'undefined' ? true : navigator.onLine;
const listeners = new Set<() => void>();

function notify(): void {
  listeners.forEach((listener) => listener());
}

window.addEventListener('online', () => {
  online = true;
  notify();
});
window.addEventListener('offline', () => {
  online = false;
  notify();
});

export const savedCopyMiddleware: Middleware = {
  onResponse({ response }) {
    const fromCache = response.headers.get('Migra-Saved-Copy') === '1';
    if (fromCache !== savedCopy) {
      savedCopy = fromCache;
      notify();
    }
    return undefined;
  },
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while the phone has no connection or the page shows saved answers. */
export function useOffline(): boolean {
  return useSyncExternalStore(subscribe, () => !online || savedCopy);
}

/** On sign-out the saved answers go too: a phone is often shared, and they hold people's testimonies. */
export async function forgetSavedAnswers(): Promise<void> {
  savedCopy = false;
  notify();
  if ('caches' in window) await caches.delete(API_CACHE).catch(() => false);
}

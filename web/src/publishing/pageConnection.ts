import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useAsync } from '../useAsync';

// The banners on every page and the admin's Page page read the same connection: when the admin
// connects or disconnects, the banners follow without a reload.
let version = 0;
const listeners = new Set<() => void>();

export function pageConnectionChanged(): void {
  version += 1;
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePageConnection() {
  const current = useSyncExternalStore(subscribe, () => version);
  return useAsync(async (signal) => unwrap(await api.GET('/api/page', { signal })), [current]);
}

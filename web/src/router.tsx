import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A tiny history router: pushState + popstate, nothing more.
const listeners = new Set<() => void>();
/** The address the app shows, so Back can be undone when a page refuses to be left. */
let shown = snapshot();
/** Asked before the app leaves the page; false keeps the person where they are. */
let leaveGuard: (() => boolean) | null = null;

function notify(): void {
  shown = snapshot();
  listeners.forEach((listener) => listener());
}

window.addEventListener('popstate', () => {
  if (leaveGuard && !leaveGuard()) {
    // The browser has already gone back: put the page being left on top again.
    window.history.pushState(null, '', shown);
    return;
  }
  notify();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (leaveGuard && !leaveGuard()) return;
  window.history[replace ? 'replaceState' : 'pushState'](null, '', to);
  notify();
}

/** Current `{ path, query }`; re-renders on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, window.location.origin);
  return { path: url.pathname, query: url.searchParams };
}

/**
 * While `question` is set (unsaved work), leaving the page asks it first: in-app links, Back, and
 * closing or reloading the tab (there the browser words the question itself).
 */
export function useLeaveGuard(question: string | null): void {
  useEffect(() => {
    if (!question) return;
    const guard = () => window.confirm(question);
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    leaveGuard = guard;
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      if (leaveGuard === guard) leaveGuard = null;
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [question]);
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** `<a>` that navigates in-app on a plain left click and behaves normally otherwise. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}

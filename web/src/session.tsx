import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler, type User } from './api/client';
import { ApiError, unwrap } from './api/errors';
import { isLang, useI18n, type Lang } from './i18n';
import { forgetSavedAnswers } from './offline';
import { showOutboxOf } from './upload/outbox';
import { navigate } from './router';

export type SessionState =
  | { status: 'loading' }
  | { status: 'offline'; error: unknown }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'signed-in'; user: User };

interface Session {
  state: SessionState;
  /**
   * Throws ApiError / network errors for the login form to show. `chosenLanguage`, picked on the
   * sign-in page, wins over the account's stored language and is saved to it.
   */
  login(username: string, password: string, chosenLanguage?: Lang): Promise<User>;
  logout(): Promise<void>;
  /** Replace the signed-in user after a successful PATCH etc. */
  setUser(user: User): void;
  /** Re-run the initial `GET /api/auth/me` (after a network failure). */
  recheck(): void;
  /** Switch language; when signed in, also save it as the preferred language. */
  changeLanguage(lang: Lang): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { lang, setLang } = useI18n();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [checkCount, setCheckCount] = useState(0);
  const stateRef = useRef(state);
  stateRef.current = state;

  const applyUser = useCallback(
    (user: User) => {
      if (isLang(user.preferredLanguage)) setLang(user.preferredLanguage);
      setState({ status: 'signed-in', user });
    },
    [setLang],
  );

  // Initial session check: the cookie is HttpOnly, so only the API knows.
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    api
      .GET('/api/auth/me', { signal: controller.signal })
      .then((result) => applyUser(unwrap(result)))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status < 500) setState({ status: 'anonymous', expired: false });
        else setState({ status: 'offline', error });
      });
    return () => controller.abort();
  }, [checkCount, applyUser]);

  // The outbox sends only the signed-in educator's items, from any page.
  useEffect(() => showOutboxOf(state.status === 'signed-in' ? state.user.id : null), [state]);

  // Any later 401 on an authenticated call: the session is over.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (stateRef.current.status !== 'signed-in') return;
      void forgetSavedAnswers();
      setState({ status: 'anonymous', expired: true });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  const login = useCallback(
    async (username: string, password: string, chosenLanguage?: Lang) => {
      const body = { username, password, ...(chosenLanguage ? { preferredLanguage: chosenLanguage } : {}) };
      const session = unwrap(await api.POST('/api/auth/login', { body }));
      applyUser(session.user);
      return session.user;
    },
    [applyUser],
  );

  const logout = useCallback(async () => {
    try {
      await api.POST('/api/auth/logout');
    } catch {
      /* offline: the cookie expires on its own; still leave the signed-in screen */
    }
    await forgetSavedAnswers();
    setState({ status: 'anonymous', expired: false });
    navigate('/', { replace: true });
  }, []);

  const setUser = useCallback((user: User) => setState({ status: 'signed-in', user }), []);
  const recheck = useCallback(() => setCheckCount((n) => n + 1), []);

  const changeLanguage = useCallback(
    (next: Lang) => {
      if (next === lang) return;
      setLang(next);
      const current = stateRef.current;
      if (current.status !== 'signed-in' || current.user.preferredLanguage === next) return;
      // Best effort: remember the choice on the account too, so the next
      // sign-in (or another phone) uses it.
      api
        .PATCH('/api/auth/me', { body: { preferredLanguage: next } })
        .then((result) => {
          if (result.data && stateRef.current.status === 'signed-in') setState({ status: 'signed-in', user: result.data });
        })
        .catch(() => undefined);
    },
    [lang, setLang],
  );

  const value = useMemo<Session>(
    () => ({ state, login, logout, setUser, recheck, changeLanguage }),
    [state, login, logout, setUser, recheck, changeLanguage],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useUser(): User {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a signed-in user');
  return state.user;
}

import { useState } from 'react';
import { api, type Publication } from '../api/client';
import { ApiError, errorText, unwrap } from '../api/errors';
import { useI18n, type MessageKey } from '../i18n';
import { formatLocal, toApiTime } from './phnomPenhTime';

export type PublicationAction = 'publish-now' | 'cancel' | 'retry' | 'reconcile' | 'take-down';

/** What each action says once done. */
const DONE: Record<PublicationAction, MessageKey> = {
  'publish-now': 'pubPublishingNow',
  cancel: 'pubCancelled',
  retry: 'pubRetried',
  reconcile: 'pubReconciled',
  'take-down': 'pubTakingDown',
};

async function send(id: string, action: PublicationAction): Promise<Publication> {
  const params = { params: { path: { publicationId: id } } };
  switch (action) {
    case 'publish-now':
      return unwrap(await api.POST('/api/publications/{publicationId}/publish-now', params));
    case 'cancel':
      return unwrap(await api.POST('/api/publications/{publicationId}/cancel', params));
    case 'retry':
      return unwrap(await api.POST('/api/publications/{publicationId}/retry', params));
    case 'reconcile':
      return unwrap(await api.POST('/api/publications/{publicationId}/reconcile', params));
    case 'take-down':
      return unwrap(await api.POST('/api/publications/{publicationId}/take-down', params));
  }
}

/**
 * Runs the actions on publications for a list, a calendar or an item page, and says what happened.
 * `reload` shows the publications as they are now: after each action, and when someone else changed
 * one meanwhile (STATE_CHANGED), which is then said plainly.
 */
export function usePublicationActions(reload: () => void) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const attempt = async (work: () => Promise<string>): Promise<boolean> => {
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      setNotice(await work());
      return true;
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'STATE_CHANGED' ? t('pubStateChangedReloaded') : errorText(e, t));
      return false;
    } finally {
      setBusy(false);
      reload();
    }
  };

  return {
    busy,
    notice,
    error,
    run: (p: Publication, action: PublicationAction) =>
      attempt(async () => {
        await send(p.id, action);
        return t(DONE[action]);
      }),
    /** Moves a scheduled publication to a Phnom Penh day and time, if it is still the version shown. */
    move: (p: Publication, date: string, time: string) =>
      attempt(async () => {
        const body = { at: toApiTime(date, time), expectedVersion: p.version };
        const moved = unwrap(await api.PUT('/api/publications/{publicationId}/time', { params: { path: { publicationId: p.id } }, body }));
        return t('pubMoved', { time: formatLocal(moved.scheduledAt, lang) });
      }),
  };
}

export type PublicationActions = ReturnType<typeof usePublicationActions>;

import { useId, useRef, useState, type FormEvent } from 'react';
import { api, type Publication } from '../api/client';
import { ApiError, errorText, unwrap } from '../api/errors';
import { Field, Notice } from '../components/Review';
import { useI18n } from '../i18n';
import { useUser } from '../session';
import { useAsync } from '../useAsync';
import { PostLink, PublicationCard, PublicationStateBadge, publicationWhen, WhenFields } from './PublicationCard';
import { addDays, formatLocal, toApiTime, todayInPhnomPenh } from './phnomPenhTime';
import { usePublicationActions } from './publicationActions';

/** Publications that hold the item: a second one would be refused (ALREADY_SCHEDULED). */
const LIVE = ['scheduled', 'publishing', 'unknown', 'published'];
/** Offered instead of a time too close or already past. */
const NOW_INSTEAD = ['SCHEDULE_TOO_SOON', 'SCHEDULE_IN_PAST'];

/**
 * The item on the Facebook Page. Editors and admins schedule an approved item and act on its
 * publications; the educator sees when it goes out and the link to the post.
 */
export function ItemPublications({ testimonyId, status, onChanged }: { testimonyId: string; status: string; onChanged(): void }) {
  const { t, lang } = useI18n();
  const user = useUser();
  const { data, reload } = useAsync(
    async (signal) => unwrap(await api.GET('/api/testimonies/{id}/publications', { params: { path: { id: testimonyId } }, signal })),
    [testimonyId],
  );
  const canPublish = user.role === 'editor' || user.role === 'admin';
  const actions = usePublicationActions(() => {
    reload();
    onChanged();
  });
  const [scheduling, setScheduling] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const shown = (data ?? []).filter((p) => p.state !== 'cancelled' || canPublish);
  const live = shown.some((p) => LIVE.includes(p.state));
  if (!canPublish && shown.length === 0) return null;

  return (
    <div className="card" data-testid="item-publications">
      <h2>{t('itemPubTitle')}</h2>
      {data && shown.length === 0 && <p className="muted">{t('itemPubNone')}</p>}
      {canPublish ? (
        <ul className="publication-list">
          {shown.map((p) => (
            <PublicationCard key={p.id} p={p} actions={actions} showTitle={false} />
          ))}
        </ul>
      ) : (
        <ul className="publication-list">
          {shown.map((p) => (
            <li key={p.id} className="publication" data-testid="publication" data-state={p.state}>
              <p className="status-line">
                <PublicationStateBadge state={p.state} />
                <span data-testid="publication-when">{publicationWhen(p, t, lang)}</span>
              </p>
              <PostLink p={p} />
            </li>
          ))}
        </ul>
      )}
      <Notice ok={actions.notice ?? saved} error={actions.error} />
      {canPublish && status === 'approved' && !live && data &&
        (scheduling ? (
          <ScheduleForm
            testimonyId={testimonyId}
            onCancel={() => setScheduling(false)}
            onSaved={(p, now) => {
              setScheduling(false);
              setSaved(now ? t('pubPublishingNow') : t('scheduleSaved', { time: formatLocal(p.scheduledAt, lang) }));
              reload();
              onChanged();
            }}
          />
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => setScheduling(true)} data-testid="schedule-open">
            {t('scheduleOpen')}
          </button>
        ))}
    </div>
  );
}

function ScheduleForm({ testimonyId, onSaved, onCancel }: { testimonyId: string; onSaved(p: Publication, now: boolean): void; onCancel(): void }) {
  const { t } = useI18n();
  const ids = useId();
  const today = todayInPhnomPenh();
  const [date, setDate] = useState(addDays(today, 1));
  const [time, setTime] = useState('19:00');
  const [messageKm, setMessageKm] = useState('');
  const [messageEn, setMessageEn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [offerNow, setOfferNow] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const send = async (when: { at: string } | { publishNow: true }) => {
    setBusy(true);
    setError(null);
    setOfferNow(false);
    try {
      const body = { testimonyId, messageKm, messageEn: messageEn || undefined, ...when };
      onSaved(unwrap(await api.POST('/api/publications', { body })), 'publishNow' in when);
    } catch (e) {
      setError(errorText(e, t));
      setOfferNow(e instanceof ApiError && NOW_INSTEAD.includes(e.code ?? ''));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send({ at: toApiTime(date, time) });
  };
  const publishNow = () => {
    // The Khmer text is required either way: let the browser say so, as for "Schedule".
    if (!form.current?.reportValidity()) return;
    void send({ publishNow: true });
  };

  return (
    <form ref={form} className="schedule-form" onSubmit={submit} data-testid="schedule-form">
      <h3>{t('scheduleTitle')}</h3>
      <Field label={t('scheduleMessageKm')} id={`${ids}-km`}>
        <textarea id={`${ids}-km`} lang="km" rows={4} required maxLength={5000} value={messageKm} onChange={(e) => setMessageKm(e.target.value)} data-testid="schedule-message-km" />
      </Field>
      <Field label={t('scheduleMessageEn')} id={`${ids}-en`}>
        <textarea id={`${ids}-en`} lang="en" rows={3} maxLength={5000} value={messageEn} onChange={(e) => setMessageEn(e.target.value)} data-testid="schedule-message-en" />
      </Field>
      <WhenFields date={date} time={time} onDate={setDate} onTime={setTime} min={today} max={addDays(today, 30)} testId="schedule" />
      <p className="hint">{t('scheduleZoneHint')}</p>
      <div aria-live="polite">
        {error && (
          <div className="notice notice-error" role="alert" data-testid="schedule-error">
            <p>{error}</p>
            {offerNow && <p>{t('scheduleOfferNow')}</p>}
          </div>
        )}
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="schedule-save">
          {t('scheduleSave')}
        </button>
        <button type="button" className={`btn ${offerNow ? 'btn-primary' : 'btn-secondary'}`} disabled={busy} onClick={publishNow} data-testid="schedule-publish-now">
          {t('pubPublishNow')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          {t('pubClose')}
        </button>
      </div>
    </form>
  );
}

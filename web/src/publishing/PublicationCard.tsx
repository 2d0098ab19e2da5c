import { useId, useState, type FormEvent } from 'react';
import type { Publication, PublicationState } from '../api/client';
import { Field } from '../components/Review';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import { Link } from '../router';
import { formatLocal, localParts } from './phnomPenhTime';
import type { PublicationAction, PublicationActions } from './publicationActions';

const STATE_LABELS: Record<PublicationState, MessageKey> = {
  scheduled: 'pubStateScheduled',
  publishing: 'pubStatePublishing',
  published: 'pubStatePublished',
  failed: 'pubStateFailed',
  unknown: 'pubStateUnknown',
  cancelled: 'pubStateCancelled',
  taken_down: 'pubStateTakenDown',
};

const STATE_BADGES: Partial<Record<PublicationState, string>> = {
  published: 'badge-ok',
  failed: 'badge-bad',
  unknown: 'badge-warn',
  publishing: 'badge-warn',
};

/** What a person can do about each kind of failure Meta reports. */
const FIXES: Record<string, MessageKey> = {
  transient: 'pubFixTransient',
  throttled: 'pubFixThrottled',
  token: 'pubFixToken',
  permission: 'pubFixPermission',
  policy: 'pubFixPolicy',
  bad_request: 'pubFixBadRequest',
  consent: 'pubFixConsent',
  outcome_unknown: 'pubFixUnknown',
  captions: 'pubFixCaptions',
  not_approved: 'pubCancelNotApproved',
  withdrawn: 'pubCancelWithdrawn',
};

/** Reasons of our own, not Meta's: said only in the reader's language, never as "Facebook says". */
const OUR_REASONS = new Set(['consent', 'not_approved', 'withdrawn']);

export function PublicationStateBadge({ state }: { state: PublicationState }) {
  const { t } = useI18n();
  return (
    <span className={`badge ${STATE_BADGES[state] ?? ''}`} data-testid="publication-state" data-state={state}>
      {t(STATE_LABELS[state])}
    </span>
  );
}

/** "Scheduled for …" or "Published …", in Phnom Penh time. */
export function publicationWhen(p: Publication, t: Translate, lang: 'km' | 'en'): string {
  if (p.publishedAt && p.state === 'published') return t('pubPublishedAt', { time: formatLocal(p.publishedAt, lang) });
  return t('pubScheduledFor', { time: formatLocal(p.scheduledAt, lang) });
}

export function PostLink({ p }: { p: Publication }) {
  const { t } = useI18n();
  if (!p.postUrl) return null;
  return (
    <a href={p.postUrl} target="_blank" rel="noopener noreferrer" data-testid="publication-link">
      {t('pubViewPost')}
    </a>
  );
}

/** Meta's own words, its codes, and what to do about it; or why we stopped it ourselves. */
function PublicationProblem({ p }: { p: Publication }) {
  const { t } = useI18n();
  const words = OUR_REASONS.has(p.errorKind ?? '') ? null : p.errorUserMessage || p.errorMessage;
  const fix = p.state === 'unknown' ? 'pubFixUnknown' : p.errorKind ? FIXES[p.errorKind] : undefined;
  // A published video whose caption file Meta refused is public, but plays muted without words.
  const captionsRefused = p.state === 'published' && p.errorKind === 'captions';
  const cancelledBecause = p.state === 'cancelled' && OUR_REASONS.has(p.errorKind ?? '');
  if (!(p.state === 'failed' || p.state === 'unknown' || captionsRefused || cancelledBecause) || (!words && !fix)) return null;
  const codes = [p.errorCode !== null && t('pubMetaCode', { code: String(p.errorCode) }), p.errorSubcode !== null && t('pubMetaSubcode', { subcode: String(p.errorSubcode) })].filter(Boolean);
  return (
    <div className={`notice ${p.state === 'failed' ? 'notice-error' : 'notice-warn'}`} data-testid="publication-problem">
      {words && (
        <p>
          <strong>{t('pubMetaSays')}</strong> <span lang="en">{words}</span>
          {codes.length > 0 && <span className="sub">{codes.join(' · ')}</span>}
        </p>
      )}
      {fix && <p>{t(fix)}</p>}
    </div>
  );
}

/** The actions that fit the publication's state. */
function actionsFor(p: Publication): PublicationAction[] {
  switch (p.state) {
    case 'scheduled':
      return p.handedToFacebook ? ['cancel'] : ['publish-now', 'cancel'];
    case 'failed':
      return ['retry'];
    case 'unknown':
      return ['reconcile', 'take-down'];
    case 'publishing':
      return ['reconcile'];
    case 'published':
      return ['take-down'];
    default:
      return [];
  }
}

const ACTION_LABELS: Record<PublicationAction, MessageKey> = {
  'publish-now': 'pubPublishNow',
  cancel: 'pubCancel',
  retry: 'pubRetry',
  reconcile: 'pubReconcile',
  'take-down': 'pubTakeDown',
};
const CONFIRM: Partial<Record<PublicationAction, MessageKey>> = { cancel: 'pubConfirmCancel', 'take-down': 'pubConfirmTakeDown' };

/** One publication: state, time, post link, Meta's error with what to do, and the actions (when `actions`). */
export function PublicationCard({ p, actions, showTitle = true }: { p: Publication; actions?: PublicationActions; showTitle?: boolean }) {
  const { t, lang } = useI18n();
  const [moving, setMoving] = useState(false);
  const movable = p.state === 'scheduled' && !p.handedToFacebook;
  const run = (action: PublicationAction) => {
    const question = CONFIRM[action];
    if (question && !window.confirm(t(question))) return;
    void actions?.run(p, action);
  };
  return (
    <li className="card publication" data-testid="publication" data-id={p.id} data-state={p.state}>
      <p className="status-line">
        <PublicationStateBadge state={p.state} />
        {showTitle && (
          <Link to={`/testimonies/${encodeURIComponent(p.testimonyId)}`} className="publication-title">
            {p.title}
          </Link>
        )}
      </p>
      <p data-testid="publication-when">{publicationWhen(p, t, lang)}</p>
      <PostLink p={p} />
      {p.state === 'scheduled' && p.handedToFacebook && <p className="hint">{t('pubHandedToFacebook')}</p>}
      <PublicationProblem p={p} />
      {actions && (
        <div className="button-row">
          {movable && (
            <button type="button" className="btn btn-secondary" onClick={() => setMoving((m) => !m)} aria-expanded={moving} data-testid="publication-move">
              {t('pubMove')}
            </button>
          )}
          {actionsFor(p).map((action) => (
            <button
              key={action}
              type="button"
              className={`btn ${action === 'cancel' || action === 'take-down' ? 'btn-danger' : 'btn-secondary'}`}
              disabled={actions.busy}
              onClick={() => run(action)}
              data-testid={`publication-${action}`}
            >
              {t(ACTION_LABELS[action])}
            </button>
          ))}
        </div>
      )}
      {actions && movable && moving && (
        <MoveForm
          p={p}
          busy={actions.busy}
          onMove={async (date, time) => {
            if (await actions.move(p, date, time)) setMoving(false);
          }}
          onCancel={() => setMoving(false)}
        />
      )}
    </li>
  );
}

/** The keyboard and phone way to reschedule, instead of dragging on the calendar. */
function MoveForm({ p, busy, onMove, onCancel }: { p: Publication; busy: boolean; onMove(date: string, time: string): Promise<void>; onCancel(): void }) {
  const { t } = useI18n();
  const start = localParts(p.scheduledAt);
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onMove(date, time);
  };
  return (
    <form className="move-form" onSubmit={submit} data-testid="move-form">
      <WhenFields date={date} time={time} onDate={setDate} onTime={setTime} testId="move" />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="move-save">
          {t('pubMoveSave')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          {t('pubClose')}
        </button>
      </div>
    </form>
  );
}

/** A Phnom Penh day and time, entered with the phone's own pickers. */
export function WhenFields(props: { date: string; time: string; onDate(date: string): void; onTime(time: string): void; min?: string; max?: string; testId: string }) {
  const { t } = useI18n();
  const ids = useId();
  return (
    <div className="when-row">
      <Field label={t('scheduleDate')} id={`${ids}-date`}>
        <input type="date" id={`${ids}-date`} required min={props.min} max={props.max} value={props.date} onChange={(e) => props.onDate(e.target.value)} data-testid={`${props.testId}-date`} />
      </Field>
      <Field label={t('scheduleTime')} id={`${ids}-time`}>
        <input type="time" id={`${ids}-time`} required value={props.time} onChange={(e) => props.onTime(e.target.value)} data-testid={`${props.testId}-time`} />
      </Field>
    </div>
  );
}

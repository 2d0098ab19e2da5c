import { useId, useState, type FormEvent, type ReactNode } from 'react';
import {
  api,
  postFile,
  type Consent,
  type ConsentInput,
  type HistoryEntry,
  type Lang,
  type ReviewComment,
  type TestimonyStatus,
  type User,
  type Withdrawal,
  type WithdrawalInput,
} from '../api/client';
import { ApiError, errorText, unwrap } from '../api/errors';
import { formatDate, khmerDigits, statusLabel, useI18n, type MessageKey, type Translate } from '../i18n';
import { useAsync } from '../useAsync';

const path = (id: string) => ({ params: { path: { id } } });
const today = () => new Date().toISOString().slice(0, 10);

export function canDecide(user: User): boolean {
  return user.role === 'editor' || user.role === 'admin';
}

/** Educators, editors and admins write; leads only read. */
export function canWriteReview(user: User): boolean {
  return user.role !== 'lead';
}

/** "1:05" (in Khmer digits on a Khmer screen) for a comment's moment in the video. */
export function formatTimecode(ms: number, lang: Lang): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  const text = h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  return lang === 'km' ? khmerDigits(text) : text;
}

// In its own file so the list of testimonies loads without the review forms.
export { DecisionSummary } from './DecisionSummary';

export function Notice({ ok, error }: { ok?: string | null; error?: string | null }) {
  return (
    <div aria-live="polite">
      {ok && <p className="notice notice-ok">{ok}</p>}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

// --- comments -------------------------------------------------------------------

export function CommentThread({
  id,
  playheadMs,
  onSeek,
  writable,
  onAdded,
}: {
  id: string;
  /** Where the video is now; null for a photo. */
  playheadMs: number | null;
  onSeek(ms: number): void;
  writable: boolean;
  onAdded(): void;
}) {
  const { t, lang } = useI18n();
  const ids = useId();
  const { data: comments, reload } = useAsync<ReviewComment[]>(
    async (signal) => unwrap(await api.GET('/api/testimonies/{id}/comments', { ...path(id), signal })),
    [id],
  );
  const [body, setBody] = useState('');
  const [withTime, setWithTime] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const timecodeMs = withTime && playheadMs !== null ? playheadMs : undefined;
      unwrap(await api.POST('/api/testimonies/{id}/comments', { ...path(id), body: { body, timecodeMs } }));
      setBody('');
      reload();
      onAdded();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card" data-testid="comments">
      <h2>{t('commentsTitle')}</h2>
      {comments && comments.length === 0 && <p className="muted">{t('commentsNone')}</p>}
      <ul className="comment-list">
        {comments?.map((c) => (
          <li key={c.id} className="comment" data-testid="comment">
            <p className="sub">
              {c.author ?? t('commentSystem')} · <time dateTime={c.createdAt}>{formatDate(c.createdAt, lang, true)}</time>
            </p>
            <p className="comment-body">
              {c.timecodeMs !== null && (
                <button
                  type="button"
                  className="timecode"
                  onClick={() => onSeek(c.timecodeMs ?? 0)}
                  aria-label={t('commentSeek', { time: formatTimecode(c.timecodeMs, lang) })}
                  data-testid="comment-timecode"
                >
                  {formatTimecode(c.timecodeMs, lang)}
                </button>
              )}
              {c.body}
            </p>
          </li>
        ))}
      </ul>
      {writable && (
        <form onSubmit={(e) => void send(e)} className="comment-form">
          <div className="field">
            <label htmlFor={`${ids}-body`}>{t('commentLabel')}</label>
            <textarea id={`${ids}-body`} rows={3} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} data-testid="comment-body" />
          </div>
          {playheadMs !== null && (
            <label className="choice">
              <input type="checkbox" checked={withTime} onChange={(e) => setWithTime(e.target.checked)} data-testid="comment-with-time" />
              {t('commentWithTime', { time: formatTimecode(playheadMs, lang) })}
            </label>
          )}
          <Notice error={error} />
          <button type="submit" className="btn btn-secondary" disabled={busy || !body.trim()} data-testid="comment-send">
            {t('commentSend')}
          </button>
        </form>
      )}
    </div>
  );
}

// --- consent records ---------------------------------------------------------------

const METHODS: [ConsentInput['method'], MessageKey][] = [
  ['written_form', 'methodWrittenForm'],
  ['verbal_recording', 'methodVerbalRecording'],
  ['thumbprint', 'methodThumbprint'],
];
const CHANNELS: [ConsentInput['channels'][number], MessageKey][] = [
  ['facebook_page', 'channelFacebookPage'],
  ['community_screenings', 'channelCommunityScreenings'],
  ['donor_reports', 'channelDonorReports'],
];
const IDENTIFIABILITY: [ConsentInput['identifiability'], MessageKey][] = [
  ['fully', 'identFully'],
  ['name_withheld', 'identNameWithheld'],
  ['face_blurred', 'identFaceBlurred'],
  ['voice_altered', 'identVoiceAltered'],
  ['not_shown', 'identNotShown'],
];
const CONSENT_STATES: Record<string, MessageKey> = {
  active: 'consentStateActive',
  expired: 'consentStateExpired',
  withdrawn: 'consentStateWithdrawn',
};

function label<T>(list: [T, MessageKey][], value: T, t: Translate): string {
  const found = list.find(([v]) => v === value);
  return found ? t(found[1]) : String(value);
}

export function identifiabilityLabel(value: Consent['identifiability'], t: Translate): string {
  return label(IDENTIFIABILITY, value, t);
}

/** The people shown, what each agreed to, and the way to add a record or a withdrawal. */
export function ConsentCard({
  testimonyId,
  consents,
  user,
  open,
  onChanged,
}: {
  testimonyId: string;
  consents: Consent[] | undefined;
  user: User;
  /** Open the form at once (right after an upload). */
  open: boolean;
  onChanged(): void;
}) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(open);
  // The notice waits for the record to be in the reloaded list: "saved" above "no records yet" would
  // tell the person the opposite of what happened.
  const [saved, setSaved] = useState<{ message: string; consentId: string } | null>(null);
  const notice = saved && consents?.some((c) => c.id === saved.consentId) ? saved.message : null;
  const writable = canWriteReview(user);
  return (
    <div className="card" data-testid="consents">
      <h2>{t('consentsTitle')}</h2>
      {consents && consents.length === 0 && <p className="muted">{t('consentsNone')}</p>}
      <ul className="consent-list">
        {consents?.map((c) => (
          <ConsentItem key={c.id} testimonyId={testimonyId} consent={c} user={user} onChanged={onChanged} />
        ))}
      </ul>
      <Notice ok={notice} />
      {writable &&
        (adding ? (
          <ConsentForm
            testimonyId={testimonyId}
            onCancel={() => setAdding(false)}
            onSaved={(message, consentId) => {
              setAdding(false);
              setSaved({ message, consentId });
              onChanged();
            }}
          />
        ) : (
          <button type="button" className="btn btn-secondary" onClick={() => setAdding(true)} data-testid="consent-add">
            {t('consentAdd')}
          </button>
        ))}
    </div>
  );
}

function ConsentItem({ testimonyId, consent: c, user, onChanged }: { testimonyId: string; consent: Consent; user: User; onChanged(): void }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const viewEvidence = async () => {
    setError(null);
    // Opened before the request so a phone's popup blocker lets it through.
    const tab = window.open('', '_blank');
    try {
      const link = unwrap(
        await api.GET('/api/testimonies/{id}/consents/{consentId}/evidence', { params: { path: { id: testimonyId, consentId: c.id } } }),
      );
      if (tab) tab.location.href = link.url;
      else window.location.assign(link.url);
    } catch (e) {
      tab?.close();
      setError(errorText(e, t));
    }
  };
  return (
    <li className="consent-record" data-testid="consent-record" data-state={c.state}>
      <p className="consent-head">
        <strong>{c.personLabel}</strong> <span className={`badge consent-${c.state}`}>{t(CONSENT_STATES[c.state] ?? 'consentStateActive')}</span>
      </p>
      <p className="sub">{t('consentValidTill', { given: formatDate(c.givenOn, lang), until: formatDate(c.validUntil, lang) })}</p>
      {c.isMinor && <p className="sub">{t('consentMinorGuardian', { name: c.guardianName ?? '', relationship: c.guardianRelationship ?? '' })}</p>}
      <p>
        {identifiabilityLabel(c.identifiability, t)} · {label(METHODS, c.method, t)}
      </p>
      <p className="sub">{c.channels.map((ch) => label(CHANNELS, ch, t)).join(' · ')}</p>
      {c.restrictions && <p className="sub">{c.restrictions}</p>}
      {c.recordedBy && <p className="sub">{t('consentRecordedBy', { name: c.recordedBy })}</p>}
      <div className="button-row">
        {c.hasEvidence && canDecide(user) && (
          <button type="button" className="btn btn-secondary" onClick={() => void viewEvidence()} data-testid="consent-evidence">
            {t('consentViewEvidence')}
          </button>
        )}
        {!c.hasEvidence && <span className="muted">{t('consentNoEvidence')}</span>}
        {c.state !== 'withdrawn' && canWriteReview(user) && !withdrawing && (
          <button type="button" className="btn btn-secondary" onClick={() => setWithdrawing(true)} data-testid="consent-withdraw">
            {t('withdrawalRecord')}
          </button>
        )}
      </div>
      <Notice error={error} />
      {withdrawing && (
        <WithdrawalForm
          title={t('withdrawalForPerson', { person: c.personLabel })}
          send={async (body) =>
            unwrap(await api.POST('/api/testimonies/{id}/consents/{consentId}/withdrawal', { params: { path: { id: testimonyId, consentId: c.id } }, body }))
          }
          onCancel={() => setWithdrawing(false)}
          onDone={() => {
            setWithdrawing(false);
            onChanged();
          }}
        />
      )}
    </li>
  );
}

export function Field({ label: text, id, children, hint }: { label: string; id: string; children: ReactNode; hint?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      {children}
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}

function FormFoot(props: { error: string | null; busy: boolean; submit: string; danger: boolean; testId: string; onCancel(): void }) {
  const { t } = useI18n();
  return (
    <>
      <Notice error={props.error} />
      <div className="button-row">
        <button type="submit" className={`btn ${props.danger ? 'btn-danger' : 'btn-primary'}`} disabled={props.busy} data-testid={props.testId}>
          {props.submit}
        </button>
        <button type="button" className="btn btn-secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </>
  );
}

/** One person's consent: the form the educator fills in with the person, or later from the paper form. */
export function ConsentForm({
  testimonyId,
  onSaved,
  onCancel,
  onCapture,
}: {
  testimonyId: string;
  onSaved(message: string, consentId: string): void;
  onCancel(): void;
  /** With no signal: hands the record over to be kept with its item (web/src/upload/outbox.ts) instead of posting it. */
  onCapture?(consent: ConsentInput): void;
}) {
  const { t } = useI18n();
  const ids = useId();
  const id = (n: string) => `${ids}-${n}`;
  const [form, setForm] = useState<ConsentInput>({
    personLabel: '',
    isMinor: false,
    method: 'written_form',
    explainedBy: '',
    explanationLanguage: t('langKmName'),
    channels: [],
    identifiability: 'fully',
    givenOn: today(),
    referralGiven: false,
  });
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (changes: Partial<ConsentInput>) => setForm((f) => ({ ...f, ...changes }));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (form.channels.length === 0) return setError(t('consentChooseChannel'));
    if (form.isMinor && (!form.guardianName || !form.guardianRelationship || !form.childAssent)) return setError(t('consentFillGuardian'));
    const body: ConsentInput = { ...form, validUntil: form.validUntil || undefined, restrictions: form.restrictions || undefined };
    if (!form.isMinor) Object.assign(body, { guardianName: undefined, guardianRelationship: undefined, childAssent: undefined });
    if (onCapture) return onCapture(body);
    setBusy(true);
    setError(null);
    try {
      const saved = unwrap(await api.POST('/api/testimonies/{id}/consents', { ...path(testimonyId), body }));
      if (file) {
        try {
          await postFile(`/api/testimonies/${encodeURIComponent(testimonyId)}/consents/${encodeURIComponent(saved.id)}/evidence`, file);
        } catch (err) {
          return onSaved(t('consentSavedNoEvidence', { error: errorText(err, t) }), saved.id);
        }
      }
      onSaved(t('consentSaved'), saved.id);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="consent-form" onSubmit={(e) => void save(e)} data-testid="consent-form">
      <p className="hint">{t('consentsOnePerPerson')}</p>
      <Field label={t('consentPerson')} id={id('person')} hint={t('consentPersonHint')}>
        <input id={id('person')} required maxLength={100} value={form.personLabel} onChange={(e) => set({ personLabel: e.target.value })} data-testid="consent-person" />
      </Field>
      <label className="choice">
        <input type="checkbox" checked={form.isMinor} onChange={(e) => set({ isMinor: e.target.checked })} data-testid="consent-minor" />
        {t('consentMinor')}
      </label>
      {form.isMinor && (
        <>
          <Field label={t('guardianName')} id={id('guardian')}>
            <input id={id('guardian')} maxLength={200} value={form.guardianName ?? ''} onChange={(e) => set({ guardianName: e.target.value })} />
          </Field>
          <Field label={t('guardianRelationship')} id={id('relationship')}>
            <input id={id('relationship')} maxLength={100} value={form.guardianRelationship ?? ''} onChange={(e) => set({ guardianRelationship: e.target.value })} />
          </Field>
          <label className="choice">
            <input type="checkbox" checked={!!form.childAssent} onChange={(e) => set({ childAssent: e.target.checked })} />
            {t('childAssent')}
          </label>
        </>
      )}
      <Field label={t('consentMethod')} id={id('method')}>
        <select id={id('method')} value={form.method} onChange={(e) => set({ method: e.target.value as ConsentInput['method'] })}>
          {METHODS.map(([v, k]) => (
            <option key={v} value={v}>
              {t(k)}
            </option>
          ))}
        </select>
      </Field>
      {!onCapture && (
        <Field label={t('consentEvidence')} id={id('evidence')} hint={t('consentEvidenceHint')}>
          <input id={id('evidence')} type="file" accept="image/*,audio/*,video/*" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="consent-evidence-file" />
        </Field>
      )}
      <Field label={t('consentExplainedBy')} id={id('explained')}>
        <input id={id('explained')} required maxLength={200} value={form.explainedBy} onChange={(e) => set({ explainedBy: e.target.value })} data-testid="consent-explained-by" />
      </Field>
      <Field label={t('consentExplanationLanguage')} id={id('explLang')}>
        <input id={id('explLang')} required maxLength={40} value={form.explanationLanguage} onChange={(e) => set({ explanationLanguage: e.target.value })} />
      </Field>
      <fieldset className="field">
        <legend>{t('consentChannels')}</legend>
        {CHANNELS.map(([v, k]) => (
          <label className="choice" key={v}>
            <input
              type="checkbox"
              checked={form.channels.includes(v)}
              onChange={(e) => set({ channels: e.target.checked ? [...form.channels, v] : form.channels.filter((c) => c !== v) })}
              data-testid={`consent-channel-${v}`}
            />
            {t(k)}
          </label>
        ))}
      </fieldset>
      <Field label={t('consentIdentifiability')} id={id('ident')}>
        <select
          id={id('ident')}
          value={form.identifiability}
          onChange={(e) => set({ identifiability: e.target.value as ConsentInput['identifiability'] })}
          data-testid="consent-identifiability"
        >
          {IDENTIFIABILITY.map(([v, k]) => (
            <option key={v} value={v}>
              {t(k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('consentGivenOn')} id={id('given')}>
        <input id={id('given')} type="date" required max={today()} value={form.givenOn} onChange={(e) => set({ givenOn: e.target.value })} />
      </Field>
      <Field label={t('consentValidUntil')} id={id('until')}>
        <input id={id('until')} type="date" min={form.givenOn} value={form.validUntil ?? ''} onChange={(e) => set({ validUntil: e.target.value })} />
      </Field>
      <Field label={t('consentRestrictions')} id={id('restrictions')}>
        <textarea id={id('restrictions')} rows={2} maxLength={2000} value={form.restrictions ?? ''} onChange={(e) => set({ restrictions: e.target.value })} />
      </Field>
      <label className="choice">
        <input type="checkbox" checked={form.referralGiven} onChange={(e) => set({ referralGiven: e.target.checked })} data-testid="consent-referral" />
        {t('consentReferral')}
      </label>
      <FormFoot error={error} busy={busy} submit={t('consentSave')} danger={false} testId="consent-save" onCancel={onCancel} />
    </form>
  );
}

// --- decisions ----------------------------------------------------------------------

const NEEDS_DISGUISE: readonly string[] = ['name_withheld', 'face_blurred', 'voice_altered', 'not_shown'];
type DecisionPath = '/api/testimonies/{id}/approve' | '/api/testimonies/{id}/request-changes' | '/api/testimonies/{id}/reject';

/** Approve (after confirming each disguise), ask for changes or reject (each with a note). */
export function DecisionCard({
  id,
  status,
  consents,
  publishPending,
  onDecided,
}: {
  id: string;
  status: TestimonyStatus;
  consents: Consent[] | undefined;
  /** The Page's copy of the video is still being made: approval waits for it. */
  publishPending: boolean;
  /** The item changed: by this decision (ok) or by someone else's meanwhile. */
  onDecided(message: string, ok: boolean): void;
}) {
  const { t } = useI18n();
  const ids = useId();
  const [note, setNote] = useState('');
  const [confirmed, setConfirmed] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disguised = (consents ?? []).filter((c) => c.state !== 'withdrawn' && NEEDS_DISGUISE.includes(c.identifiability));

  const decide = async (to: DecisionPath, needsNote: boolean) => {
    if (needsNote && !note.trim()) return setError(t('decisionNoteRequired'));
    setBusy(true);
    setError(null);
    try {
      const body = { note: note.trim() || undefined, expectedStatus: status, confirmDisguise: to.endsWith('approve') ? confirmed : undefined };
      const decision = unwrap(await api.POST(to, { ...path(id), body }));
      setNote('');
      onDecided(t('decisionDone', { status: statusLabel(decision.kind, t) }), true);
    } catch (e) {
      const now = e instanceof ApiError && e.code === 'STATE_CHANGED' ? e.body.figures?.status : undefined;
      if (typeof now === 'string') onDecided(t('decisionStateChanged', { status: statusLabel(now, t) }), false);
      else setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card decision-card" data-testid="decision">
      <h2>{t('decisionTitle')}</h2>
      {disguised.length > 0 && (
        <fieldset className="field">
          <legend>{t('decisionConfirmIntro')}</legend>
          {disguised.map((c) => (
            <label className="choice" key={c.id}>
              <input
                type="checkbox"
                checked={confirmed.includes(c.id)}
                onChange={(e) => setConfirmed(e.target.checked ? [...confirmed, c.id] : confirmed.filter((x) => x !== c.id))}
                data-testid="confirm-disguise"
              />
              {t('decisionConfirmOne', { person: c.personLabel, disguise: identifiabilityLabel(c.identifiability, t) })}
            </label>
          ))}
        </fieldset>
      )}
      <div className="field">
        <label htmlFor={`${ids}-note`}>{t('decisionNote')}</label>
        <textarea id={`${ids}-note`} rows={3} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="decision-note-input" />
      </div>
      {publishPending && (
        <p className="notice" role="status" data-testid="publish-pending">
          {t('decisionPublishPending')}
        </p>
      )}
      <Notice error={error} />
      <div className="button-row">
        <button type="button" className="btn btn-primary" disabled={busy || publishPending} onClick={() => void decide('/api/testimonies/{id}/approve', false)} data-testid="decide-approve">
          {t('decisionApprove')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void decide('/api/testimonies/{id}/request-changes', true)} data-testid="decide-changes">
          {t('decisionRequestChanges')}
        </button>
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void decide('/api/testimonies/{id}/reject', true)} data-testid="decide-reject">
          {t('decisionReject')}
        </button>
      </div>
    </div>
  );
}

/** The educator's answer to "changes requested": back into the queue. */
export function ResubmitButton({ id, onDone }: { id: string; onDone(): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST('/api/testimonies/{id}/resubmit', path(id)));
      onDone();
    } catch (e) {
      setError(errorText(e, t));
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void send()} data-testid="resubmit">
        {t('resubmit')}
      </button>
      <Notice error={error} />
    </>
  );
}

// --- history ----------------------------------------------------------------------------

const HISTORY_ACTIONS: Record<string, MessageKey> = {
  'testimony.uploaded': 'historyUploaded',
  'testimony.processed': 'historyProcessed',
  'testimony.processing_failed': 'historyProcessingFailed',
  'testimony.publish_rendition_failed': 'historyProcessingFailed',
  'testimony.approved': 'historyApproved',
  'testimony.changes_requested': 'historyChangesRequested',
  'testimony.rejected': 'historyRejected',
  'testimony.resubmitted': 'historyResubmitted',
  'testimony.commented': 'historyCommented',
  'testimony.withdrawn': 'historyWithdrawn',
  'testimony.reprocess_requested': 'historyReprocess',
  'consent.recorded': 'historyConsentRecorded',
  'consent.updated': 'historyConsentUpdated',
  'consent.evidence_added': 'historyConsentEvidence',
  'consent.withdrawn': 'historyConsentWithdrawn',
  'withdrawal.media_deleted': 'historyMediaDeleted',
  'withdrawal.media_kept': 'historyMediaKept',
};

export function HistoryCard({ id, version }: { id: string; /** Changes whenever something was done on the page. */ version: number }) {
  const { t, lang } = useI18n();
  const { data } = useAsync<HistoryEntry[]>(async (signal) => unwrap(await api.GET('/api/testimonies/{id}/history', { ...path(id), signal })), [id, version]);
  return (
    <div className="card" data-testid="history">
      <h2>{t('historyTitle')}</h2>
      {data && data.length === 0 && <p className="muted">{t('historyNone')}</p>}
      <ol className="history-list">
        {data?.map((h, i) => (
          <li key={i} data-action={h.action}>
            <strong>{t(HISTORY_ACTIONS[h.action] ?? 'historyOther')}</strong>
            <span className="sub">
              {' '}
              {h.actor ?? t('historySystem')} · <time dateTime={h.at}>{formatDate(h.at, lang, true)}</time>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

// --- withdrawals --------------------------------------------------------------------------

const VIAS: [WithdrawalInput['receivedVia'], MessageKey][] = [
  ['in_person', 'viaInPerson'],
  ['phone', 'viaPhone'],
  ['message', 'viaMessage'],
  ['through_educator', 'viaThroughEducator'],
  ['letter', 'viaLetter'],
  ['other', 'viaOther'],
];
const STEPS: Record<string, MessageKey> = {
  left_review: 'stepLeftReview',
  links_stopped: 'stepLinksStopped',
  schedules_cancelled: 'stepSchedulesCancelled',
  page_takedown: 'stepPageTakedown',
  media_deleted: 'stepMediaDeleted',
};

export function WithdrawalForm({
  title,
  send,
  onCancel,
  onDone,
}: {
  title: string;
  send(body: WithdrawalInput): Promise<unknown>;
  onCancel(): void;
  onDone(): void;
}) {
  const { t } = useI18n();
  const ids = useId();
  const [body, setBody] = useState<WithdrawalInput>({ receivedOn: today(), receivedVia: 'through_educator' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await send({ ...body, note: body.note || undefined });
      onDone();
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };
  return (
    <form className="withdrawal-form" onSubmit={(e) => void submit(e)} data-testid="withdrawal-form">
      <h3>{title}</h3>
      <p className="hint">{t('withdrawalIntro')}</p>
      <Field label={t('withdrawalReceivedOn')} id={`${ids}-on`}>
        <input id={`${ids}-on`} type="date" required max={today()} value={body.receivedOn} onChange={(e) => setBody({ ...body, receivedOn: e.target.value })} />
      </Field>
      <Field label={t('withdrawalVia')} id={`${ids}-via`}>
        <select id={`${ids}-via`} value={body.receivedVia} onChange={(e) => setBody({ ...body, receivedVia: e.target.value as WithdrawalInput['receivedVia'] })}>
          {VIAS.map(([v, k]) => (
            <option key={v} value={v}>
              {t(k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('withdrawalNote')} id={`${ids}-note`}>
        <textarea id={`${ids}-note`} rows={2} maxLength={2000} value={body.note ?? ''} onChange={(e) => setBody({ ...body, note: e.target.value })} />
      </Field>
      <FormFoot error={error} busy={busy} submit={t('withdrawalSave')} danger testId="withdrawal-save" onCancel={onCancel} />
    </form>
  );
}

/** Each withdrawal's steps and when they were done, until the item is down everywhere. */
export function WithdrawalSteps({ withdrawals }: { withdrawals: Withdrawal[] | undefined }) {
  const { t, lang } = useI18n();
  if (!withdrawals || withdrawals.length === 0) return null;
  return (
    <div className="card" data-testid="withdrawals">
      <h2>{t('withdrawalTitle')}</h2>
      {withdrawals.map((w) => (
        <div key={w.id} className="withdrawal" data-complete={w.complete}>
          <p className="sub">
            {t('withdrawalReceived', { date: formatDate(w.receivedOn, lang) })} · {label(VIAS, w.receivedVia as WithdrawalInput['receivedVia'], t)}
          </p>
          {w.complete ? (
            <p className="notice notice-ok">{t('withdrawalComplete')}</p>
          ) : (
            <ol className="steps">
              {w.steps.map((s) => (
                <li key={s.step} className={`step step-${s.state}`} data-testid="withdrawal-step" data-state={s.state}>
                  <span>{t(STEPS[s.step] ?? 'historyOther')}</span>
                  <span className="sub">
                    {s.state === 'done'
                      ? t('stepDone', { date: formatDate(s.doneAt, lang, true) })
                      : s.state === 'not_needed'
                        ? t('stepNotNeeded')
                        : s.state === 'skipped'
                          ? t('stepSkipped')
                          : t('stepPending')}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      ))}
    </div>
  );
}

import { useState } from 'react';
import { rawRequest, type User } from '../api/client';
import { codeText, errorText } from '../api/errors';
import { formatPercent, statusHint, useI18n, type MessageKey } from '../i18n';
import { useUser } from '../session';
import { ProgressBar, StatusBadge } from './Media';

/** Statuses that change on their own: lists and items poll while any is shown. */
export const LIVE_STATUSES: readonly string[] = ['uploading', 'processing'];
/** The educator may delete (or caption) their own item only before an editor approved it. */
const BEFORE_APPROVAL: readonly string[] = ['uploading', 'processing', 'processing_failed', 'in_review', 'changes_requested'];

type OwnedItem = { status: string; educator?: { id: string } | null };

function ownsBeforeApproval(user: User, item: OwnedItem): boolean {
  return user.role === 'educator' && item.educator?.id === user.id && BEFORE_APPROVAL.includes(item.status);
}

export function canDelete(user: User, item: OwnedItem): boolean {
  return user.role === 'admin' || ownsBeforeApproval(user, item);
}

/** As the server decides: editors and admins always, the owner only before approval. */
export function canEditCaptions(user: User, item: OwnedItem): boolean {
  return user.role === 'editor' || user.role === 'admin' || ownsBeforeApproval(user, item);
}

export function canReprocess(user: User): boolean {
  return user.role === 'editor' || user.role === 'admin';
}

/** Status badge, its plain meaning, the processing bar and a failure with what to do. */
interface FailureFacts {
  kind?: string;
  failureReason?: string | null;
  failureCode?: string | null;
  failureFigures?: Record<string, unknown> | null;
}

export function StatusDetails({ item, showHint = true }: { item: { status: string; progress: number } & FailureFacts; showHint?: boolean }) {
  const { t, lang } = useI18n();
  const hint = showHint ? statusHint(item.status, t) : null;
  return (
    <div className="status-details">
      <p className="status-line">
        <StatusBadge status={item.status} />
        {hint && <span className="status-hint">{hint}</span>}
      </p>
      {item.status === 'processing' && (
        <div className="processing" data-testid="processing-progress">
          <ProgressBar value={(item.progress ?? 0) / 100} label={t('progress')} />
          <span className="sub">{t('processingProgress', { percent: formatPercent((item.progress ?? 0) / 100, lang) })}</span>
        </div>
      )}
      {item.status === 'processing_failed' && <FailureNotice failure={item} />}
    </div>
  );
}

/** What an educator can do about it depends on whether it is a photo or a video, and on the failure. */
function educatorAdvice(kind: string | undefined, code: string | null | undefined): MessageKey {
  if (code === 'MEDIA_ORIGINAL_MISSING') return 'adviceSendAgain';
  if (kind === 'photo') {
    if (code === 'MEDIA_HEIC_UNSUPPORTED') return 'advicePhotoHeic';
    if (code === 'MEDIA_TOO_MANY_PIXELS') return 'advicePhotoResize';
    return 'advicePhotoRetake';
  }
  return 'adviceVideoRecord';
}

function FailureNotice({ failure }: { failure: FailureFacts }) {
  const { t } = useI18n();
  const user = useUser();
  const staff = user.role === 'editor' || user.role === 'admin';
  // The educator and the editor can do different things about it.
  return (
    <div className="notice notice-error failure" data-testid="failure-reason" data-code={failure.failureCode ?? ''}>
      <p>
        <strong>{t('failureReasonLabel')}: </strong>
        {codeText(failure.failureCode, failure.failureFigures, t) ?? t('statusFailed')}
      </p>
      <p>{user.role === 'educator' ? t(educatorAdvice(failure.kind, failure.failureCode)) : t('failureWhatToDoEditor')}</p>
      {staff && failure.failureReason && (
        <details>
          <summary>{t('failureForStaff')}</summary>
          <p lang="en">{failure.failureReason}</p>
        </details>
      )}
    </div>
  );
}

/** Delete with a confirmation; calls `onDeleted` after the server agreed. */
export function DeleteButton({ id, title, onDeleted }: { id: string; title: string; onDeleted(): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (!window.confirm(t('confirmDeleteTestimony', { title }))) return;
    setBusy(true);
    setError(null);
    try {
      await rawRequest('DELETE', `/api/testimonies/${encodeURIComponent(id)}`);
      onDeleted();
    } catch (e) {
      setError(errorText(e, t));
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-danger" onClick={() => void remove()} disabled={busy} data-testid="delete-testimony">
        {busy ? t('deleting') : t('deleteTestimony')}
      </button>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

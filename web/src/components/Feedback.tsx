import { useI18n } from '../i18n';
import { errorText } from '../api/errors';

/** Error box for a failed load, with a retry button. Announced to screen readers. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice notice-error" role="alert">
      <p>{errorText(error, t)}</p>
      {onRetry && (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          {t('tryAgain')}
        </button>
      )}
    </div>
  );
}

/** Polite live region for form errors/successes; always rendered so updates are announced. */
export function FormMessage({ error, success, id }: { error?: string | null; success?: string | null; id?: string }) {
  return (
    <div id={id} className="form-message" aria-live="polite" role="status">
      {error ? <p className="notice notice-error">{error}</p> : success ? <p className="notice notice-ok">{success}</p> : null}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t('loading')}
    </p>
  );
}

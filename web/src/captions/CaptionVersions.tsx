import { useState } from 'react';
import { api, type CaptionLanguage, type CaptionTrack, type CaptionVersion } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { formatDate, useI18n, type MessageKey } from '../i18n';
import { useAsync } from '../useAsync';

const SOURCE_KEYS: Record<CaptionVersion['source'], MessageKey> = {
  uploaded: 'sourceUploaded',
  machine: 'sourceMachine',
  edited: 'sourceEdited',
};

/** Every saved version, newest first; bringing one back saves it again as the newest, so it can be undone too. */
export function CaptionVersions({
  id,
  language,
  track,
  editable,
  confirmReplace,
  onRestored,
}: {
  id: string;
  language: CaptionLanguage;
  track: CaptionTrack | null;
  editable: boolean;
  confirmReplace(): boolean;
  onRestored(track: CaptionTrack): void;
}) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const versions = useAsync(
    async (signal) =>
      open && track
        ? unwrap(await api.GET('/api/testimonies/{id}/captions/{language}/versions', { params: { path: { id, language } }, signal }))
        : [],
    [id, language, track?.version, open],
  );

  const restore = async (version: number) => {
    if (!confirmReplace()) return;
    setBusy(true);
    setError(null);
    try {
      onRestored(unwrap(await api.POST('/api/testimonies/{id}/captions/{language}/versions/{version}/restore', { params: { path: { id, language, version } } })));
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  if (!track) return null;
  return (
    <details className="card versions" data-testid="caption-versions" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('versionsTitle')}</summary>
      <p className="hint">{editable ? t('versionsHintEditable') : t('versionsHint')}</p>
      <div aria-live="polite">{error && <p className="notice notice-error">{error}</p>}</div>
      {versions.loading && <Loading />}
      {versions.error !== undefined && <LoadError error={versions.error} onRetry={versions.reload} />}
      <ol className="version-list">
        {versions.data?.map((v) => (
          <li key={v.version} data-testid="caption-version" data-version={v.version}>
            <p>
              <strong>{t('versionNumber', { version: v.version })}</strong>
              {v.version === track.version && <span className="badge badge-ok">{t('versionCurrent')}</span>}
              <span className="sub">
                {t(SOURCE_KEYS[v.source])} · {t('cueCount', { count: v.cueCount })}
              </span>
              <span className="sub">
                <time dateTime={v.changedAt}>{formatDate(v.changedAt, lang, true)}</time>
                {v.changedBy && ` · ${v.changedBy}`}
              </span>
            </p>
            {editable && v.version !== track.version && (
              <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void restore(v.version)}>
                {t('versionRestore')}
              </button>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}

import { useEffect, useState } from 'react';
import { api, type CaptionLanguage } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { useI18n } from '../i18n';
import { formatCueTime } from './cues';

type Preview = { status: 'idle' } | { status: 'loading'; atMs: number } | { status: 'shown'; atMs: number; url: string } | { status: 'failed'; message: string };

/**
 * One frame drawn by the server with the saved captions burned in exactly as the captioned video
 * will have them (font, size, line breaks), which the browser's own caption display does not show.
 */
export function PreviewFrame({ id, language, atMs, saved, dirty }: { id: string; language: CaptionLanguage; atMs: number; saved: boolean; dirty: boolean }) {
  const { t, lang } = useI18n();
  const [preview, setPreview] = useState<Preview>({ status: 'idle' });
  const url = preview.status === 'shown' ? preview.url : null;
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);

  const show = async () => {
    setPreview({ status: 'loading', atMs });
    try {
      // Fetched rather than an <img src>, so a refusal (workers busy) can say why.
      const result = await api.GET('/api/testimonies/{id}/captions/{language}/preview', {
        params: { path: { id, language }, query: { atMs } },
        parseAs: 'blob',
      });
      setPreview({ status: 'shown', atMs, url: URL.createObjectURL(unwrap(result)) });
    } catch (e) {
      setPreview({ status: 'failed', message: errorText(e, t) });
    }
  };

  return (
    <div className="card" data-testid="preview-frame">
      <h2>{t('previewTitle')}</h2>
      <p className="hint">{saved ? t('previewHint') : t('previewNeedsCaptions')}</p>
      <button type="button" className="btn btn-secondary btn-block" onClick={() => void show()} disabled={!saved || preview.status === 'loading'}>
        {t('previewAt', { time: formatCueTime(atMs, lang) })}
      </button>
      <div aria-live="polite">
        {dirty && saved && <p className="notice notice-warn">{t('previewUnsaved')}</p>}
        {preview.status === 'loading' && (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('previewLoading')}
          </p>
        )}
        {preview.status === 'failed' && <p className="notice notice-error">{preview.message}</p>}
      </div>
      {preview.status === 'shown' && (
        <img className="preview-image" src={preview.url} alt={t('previewAlt', { time: formatCueTime(preview.atMs, lang) })} data-testid="preview-image" />
      )}
    </div>
  );
}

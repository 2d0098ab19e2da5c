import { useState } from 'react';
import { api, captionFileUrl, type CaptionFormat, type CaptionLanguage, type CaptionTrack } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { useI18n, type MessageKey } from '../i18n';
import { problemLines } from './captionMessages';

const EXPORTS: Array<[CaptionFormat, MessageKey]> = [
  ['srt', 'exportSrt'],
  ['vtt', 'exportVtt'],
  ['ass', 'exportAss'],
];

type Outcome = { ok: string } | { error: string; lines?: string[] } | null;

/** Caption files: import an .srt/.vtt (replacing the captions), or download them for Facebook and others. */
export function CaptionFiles({
  id,
  language,
  editable,
  track,
  confirmReplace,
  onImported,
}: {
  id: string;
  language: CaptionLanguage;
  editable: boolean;
  track: CaptionTrack | null;
  /** Asks before unsaved edits are thrown away; false cancels. */
  confirmReplace(): boolean;
  onImported(track: CaptionTrack): void;
}) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const importFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    // Cleared at once, so choosing the same (fixed) file again fires a change.
    input.value = '';
    if (!file || !confirmReplace()) return;
    setBusy(true);
    setOutcome(null);
    try {
      const form = new FormData();
      form.append('file', file);
      const imported = unwrap(
        await api.POST('/api/testimonies/{id}/captions/{language}/import', { params: { path: { id, language } }, body: form as never }),
      );
      onImported(imported);
      setOutcome({ ok: t('importDone', { count: imported.cues.length, file: file.name }) });
    } catch (e) {
      const lines = problemLines(e, t, lang);
      setOutcome(lines ? { error: t('importProblems', { file: file.name }), lines } : { error: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  };

  if (!editable && !track) return null;
  return (
    <div className="card caption-tools" data-testid="caption-files">
      <h2>{t('captionFilesTitle')}</h2>
      {editable && (
        <>
          <p className="hint">{t('importHint')}</p>
          <label className={`btn btn-secondary btn-block file-button${busy ? ' is-busy' : ''}`}>
            <input type="file" accept=".srt,.vtt" className="sr-only" disabled={busy} onChange={(e) => void importFile(e.currentTarget)} data-testid="import-file" />
            {busy ? t('importing') : t('importFile')}
          </label>
          <div aria-live="polite" data-testid="import-outcome">
            {outcome && 'ok' in outcome && <p className="notice notice-ok">{outcome.ok}</p>}
            {outcome && 'error' in outcome && (
              <div className="notice notice-error">
                <p>{outcome.error}</p>
                {outcome.lines && (
                  <ul className="problem-lines">
                    {outcome.lines.map((line, i) => (
                      <li key={i}>{line}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </div>
        </>
      )}
      {track && (
        <>
          <p className="hint">{t('exportHint')}</p>
          <ul className="export-links">
            {EXPORTS.map(([format, label]) => (
              <li key={format}>
                <a className="btn btn-secondary btn-block" href={captionFileUrl(id, language, format)} download data-testid={`export-${format}`}>
                  {t(label)}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

import { CAPTION_LANGUAGES, type CaptionLanguage, type CaptionTrackSummary } from '../api/client';
import { languageName, useI18n } from '../i18n';

export type Message = { tone: 'ok' | 'warn' | 'error'; text: string; lines?: string[] };

/** Khmer, English, Thai: each with how many captions it has. */
export function LanguageTabs({
  language,
  summaries,
  panelId,
  onChange,
}: {
  language: CaptionLanguage;
  summaries: CaptionTrackSummary[] | undefined;
  panelId: string;
  onChange(language: CaptionLanguage): void;
}) {
  const { t } = useI18n();
  return (
    <div role="tablist" className="caption-tabs" aria-label={t('captionsLanguages')}>
      {CAPTION_LANGUAGES.map((code) => {
        const summary = summaries?.find((s) => s.language === code);
        return (
          <button
            key={code}
            type="button"
            role="tab"
            className="caption-tab"
            aria-selected={code === language}
            aria-controls={panelId}
            onClick={() => onChange(code)}
            data-testid={`caption-tab-${code}`}
          >
            {languageName(code, t)}
            <span className="sub">{summary ? t('cueCount', { count: summary.cueCount }) : t('captionsNoneShort')}</span>
          </button>
        );
      })}
    </div>
  );
}

/**
 * Save, kept in sight at the bottom of the screen while the list scrolls, with what came of the last
 * save: success and reading tips, the problems the server found, or someone else's newer version.
 */
export function SaveBar({
  state,
  canSave,
  saving,
  conflict,
  message,
  onSave,
  onLoadNewest,
}: {
  /** Saved or not, in words. */
  state: string;
  canSave: boolean;
  saving: boolean;
  conflict: boolean;
  message: Message | null;
  onSave(overwrite: boolean): void;
  onLoadNewest(): void;
}) {
  const { t } = useI18n();
  return (
    <div className="save-bar" data-testid="save-bar">
      <div aria-live="polite" className="save-messages">
        {conflict && (
          <div className="notice notice-error" data-testid="save-conflict">
            <p>{t('captionsConflict')}</p>
            <div className="button-row">
              <button type="button" className="btn btn-secondary" onClick={onLoadNewest}>
                {t('captionsLoadNewest')}
              </button>
              <button type="button" className="btn btn-secondary" onClick={() => onSave(true)}>
                {t('captionsSaveOver')}
              </button>
            </div>
          </div>
        )}
        {message && (
          <div className={`notice notice-${message.tone}`} data-testid="save-message">
            <p>{message.text}</p>
            {message.lines && (
              <ul className="problem-lines">
                {message.lines.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <div className="save-row">
        <span className="save-state">{state}</span>
        <button type="button" className="btn btn-primary" onClick={() => onSave(false)} disabled={!canSave} data-testid="save-captions">
          {saving ? t('saving') : t('save')}
        </button>
      </div>
    </div>
  );
}

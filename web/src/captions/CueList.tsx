import { useId } from 'react';
import type { CaptionLanguage, Cue } from '../api/client';
import { useI18n } from '../i18n';
import { PROBLEM_KEYS } from './captionMessages';
import { formatCueTime, NUDGE_MS, nudged, type CueProblem } from './cues';

interface CueListProps {
  cues: Cue[];
  language: CaptionLanguage;
  editable: boolean;
  /** The cue under the playhead (-1: none). */
  activeIndex: number;
  selected: number | null;
  problems: CueProblem[][];
  /** Reading tips from the last save, in the reader's language. */
  warnings(index: number): string[];
  durationMs: number | undefined;
  onSelect(index: number): void;
  onSeek(ms: number): void;
  onChange(index: number, cue: Cue): void;
  onDelete(index: number): void;
}

export function CueList(props: CueListProps) {
  const { t } = useI18n();
  if (props.cues.length === 0) {
    return <p className="empty">{props.editable ? t('cuesNoneEditable') : t('cuesNone')}</p>;
  }
  return (
    <ol className="cue-list" data-testid="cue-list">
      {/* Cues have no identity of their own: a card is its place in the list. */}
      {props.cues.map((cue, index) => (
        <CueCard key={index} {...props} cue={cue} index={index} />
      ))}
    </ol>
  );
}

function CueCard({ cue, index, language, editable, activeIndex, selected, problems, warnings, durationMs, onSelect, onSeek, onChange, onDelete }: CueListProps & { cue: Cue; index: number }) {
  const { t, lang } = useI18n();
  const id = useId();
  const n = index + 1;
  const active = index === activeIndex;
  const ownProblems = problems[index] ?? [];
  const ownWarnings = warnings(index);
  const times = `${formatCueTime(cue.startMs, lang)} – ${formatCueTime(cue.endMs, lang)}`;
  const classes = ['cue-card', active && 'is-active', selected === index && 'is-selected', ownProblems.length > 0 && 'has-problem'].filter(Boolean).join(' ');

  return (
    <li className={classes} aria-current={active ? 'time' : undefined} data-testid="cue" data-warnings={ownWarnings.length} onFocus={() => onSelect(index)}>
      <div className="cue-head">
        <button
          type="button"
          className="cue-seek"
          onClick={() => {
            onSelect(index);
            onSeek(cue.startMs);
          }}
          aria-label={t('cueSeek', { n, times })}
        >
          <span className="cue-number">{t('cueNumber', { n })}</span>
          <span className="cue-times">{times}</span>
        </button>
        {editable && (
          <button type="button" className="btn btn-danger btn-small" onClick={() => onDelete(index)} aria-label={t('cueDeleteLabel', { n })}>
            {t('cueDelete')}
          </button>
        )}
      </div>
      {editable ? (
        <>
          <TimeNudger label={t('cueStart')} ms={cue.startMs} durationMs={durationMs} onChange={(startMs) => onChange(index, { ...cue, startMs })} testId="cue-start" />
          <TimeNudger label={t('cueEnd')} ms={cue.endMs} durationMs={durationMs} onChange={(endMs) => onChange(index, { ...cue, endMs })} testId="cue-end" />
          <label htmlFor={`${id}-text`} className="cue-text-label">
            {t('cueText', { n })}
          </label>
          <textarea
            id={`${id}-text`}
            lang={language}
            rows={2}
            value={cue.text}
            onChange={(e) => onChange(index, { ...cue, text: e.target.value })}
            aria-invalid={ownProblems.length > 0 || undefined}
            aria-describedby={`${id}-notes`}
            data-testid="cue-text"
          />
        </>
      ) : (
        <p className="cue-text-read" lang={language}>
          {cue.text}
        </p>
      )}
      <ul id={`${id}-notes`} className="cue-notes">
        {ownProblems.map((problem) => (
          <li key={problem} className="cue-problem" data-testid="cue-problem">
            {t(PROBLEM_KEYS[problem])}
          </li>
        ))}
        {ownWarnings.map((warning, i) => (
          <li key={i} className="cue-warning" data-testid="cue-warning">
            {warning}
          </li>
        ))}
      </ul>
    </li>
  );
}

function TimeNudger({ label, ms, durationMs, onChange, testId }: { label: string; ms: number; durationMs: number | undefined; onChange(ms: number): void; testId: string }) {
  const { t, lang } = useI18n();
  return (
    <div className="cue-time" role="group" aria-label={label} data-testid={testId}>
      <span className="cue-time-label" aria-hidden="true">
        {label}
      </span>
      <button type="button" className="btn btn-secondary btn-nudge" onClick={() => onChange(nudged(ms, -NUDGE_MS, durationMs))} aria-label={t('nudgeEarlier', { what: label })}>
        {t('nudgeMinus')}
      </button>
      <output className="cue-time-value">
        {formatCueTime(ms, lang)}
      </output>
      <button type="button" className="btn btn-secondary btn-nudge" onClick={() => onChange(nudged(ms, NUDGE_MS, durationMs))} aria-label={t('nudgeLater', { what: label })}>
        {t('nudgePlus')}
      </button>
    </div>
  );
}

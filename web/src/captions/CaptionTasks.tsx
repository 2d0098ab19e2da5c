import type { ReactNode } from 'react';
import type { CaptionTask, CaptionTaskKind, CaptionTrack, Cue } from '../api/client';
import { codeText, errorText } from '../api/errors';
import { ProgressBar } from '../components/Media';
import { formatBytes, formatPercent, useI18n, type MessageKey } from '../i18n';
import { isActive, type CaptionTasks } from './useCaptionTasks';

const START_LABEL: Record<CaptionTaskKind, MessageKey> = {
  'speech-segments': 'proposeTimings',
  transcript: 'machineTranscript',
  'burn-in': 'burnInStart',
};

/** "Propose timings" and "Machine transcript": proposals the person then uses (or not). */
export function ProposalsCard({ tasks, onUse }: { tasks: CaptionTasks; onUse(cues: Cue[]): void }) {
  const { t } = useI18n();
  return (
    <div className="card caption-tools" data-testid="proposals">
      <h2>{t('proposeTitle')}</h2>
      <TaskBlock kind="speech-segments" tasks={tasks} hint={t('proposeTimingsHint')}>
        {(task) => <TimingsResult task={task} onUse={onUse} />}
      </TaskBlock>
      <TaskBlock kind="transcript" tasks={tasks} hint={t('machineTranscriptHint')}>
        {(task) => <TranscriptResult task={task} onUse={onUse} />}
      </TaskBlock>
    </div>
  );
}

function TimingsResult({ task, onUse }: { task: CaptionTask; onUse(cues: Cue[]): void }) {
  const { t } = useI18n();
  const cues = task.cues ?? [];
  if (cues.length === 0) return <p className="notice notice-warn">{t('timingsNoSpeech')}</p>;
  return (
    <div className="notice notice-ok">
      <p>{t('timingsFound', { count: cues.length })}</p>
      <button type="button" className="btn btn-primary" onClick={() => onUse(cues)} data-testid="use-timings">
        {t('useTimings')}
      </button>
    </div>
  );
}

const OUTCOME_TEXT: Record<NonNullable<CaptionTask['outcome']>, MessageKey> = {
  applied: 'transcriptApplied',
  'kept-edits': 'transcriptKeptEdits',
  'draft-only': 'transcriptDraftOnly',
};

function TranscriptResult({ task, onUse }: { task: CaptionTask; onUse(cues: Cue[]): void }) {
  const { t } = useI18n();
  const cues = task.cues ?? [];
  return (
    <div className="notice notice-ok" data-testid="transcript-outcome">
      <p>{task.outcome ? t(OUTCOME_TEXT[task.outcome]) : t('taskDone')}</p>
      {task.outcome !== 'applied' && cues.length > 0 && (
        <button type="button" className="btn btn-secondary" onClick={() => onUse(cues)}>
          {t('useTranscript')}
        </button>
      )}
    </div>
  );
}

/** The captioned MP4: make it from the saved captions, follow it, watch or download it. */
export function BurnInCard({ tasks, editable, track, dirty }: { tasks: CaptionTasks; editable: boolean; track: CaptionTrack | null; dirty: boolean }) {
  const { t, lang } = useI18n();
  const task = tasks.byKind('burn-in');
  const video = task?.video;
  if (!editable && !video) return null;
  // The server's flag is as old as the last look at the task; a save since then also makes it stale.
  const stale = !!video && (video.stale || video.trackVersion !== track?.version);
  return (
    <div className="card caption-tools" data-testid="burn-in">
      <h2>{t('burnInTitle')}</h2>
      {editable && (
        <TaskBlock kind="burn-in" tasks={tasks} hint={t('burnInHint')} disabled={!track || dirty} why={!track ? t('burnInNeedsCaptions') : dirty ? t('burnInSaveFirst') : undefined} />
      )}
      {video && (
        <div className="burned" data-testid="burned-video" data-stale={stale}>
          <video src={video.url} controls preload="none" playsInline aria-label={t('burnInTitle')} />
          <p>
            {t('burnInMadeFrom', { version: video.trackVersion })}{' '}
            <a href={video.url} target="_blank" rel="noreferrer">
              {t('burnInDownload', { size: formatBytes(video.byteSize, lang) })}
            </a>
          </p>
          {stale && <p className="notice notice-warn">{t('burnInStale')}</p>}
        </div>
      )}
    </div>
  );
}

interface TaskBlockProps {
  kind: CaptionTaskKind;
  tasks: CaptionTasks;
  hint: string;
  disabled?: boolean;
  /** Why the button is disabled. */
  why?: string;
  /** What a finished task offers. */
  children?(task: CaptionTask): ReactNode;
}

/** A start button with its explanation, then the task's progress, refusal, failure or result. */
function TaskBlock({ kind, tasks, hint, disabled = false, why, children }: TaskBlockProps) {
  const { t, lang } = useI18n();
  const task = tasks.byKind(kind);
  const active = isActive(task);
  const refusal = tasks.refusal(kind);
  return (
    <div className="task" data-testid={`task-${kind}`} data-status={task?.status ?? 'none'}>
      <p className="hint">{hint}</p>
      <button type="button" className="btn btn-secondary btn-block" disabled={disabled || active || tasks.starting(kind)} onClick={() => void tasks.start(kind)}>
        {t(START_LABEL[kind])}
      </button>
      {why && <p className="hint">{why}</p>}
      <div className="task-status" aria-live="polite">
        {task && active && (
          <div className="task-progress">
            <ProgressBar value={task.progress / 100} label={t(START_LABEL[kind])} />
            <span className="sub">{task.status === 'queued' ? t('taskQueued') : t('taskRunning', { percent: formatPercent(task.progress / 100, lang) })}</span>
          </div>
        )}
        {refusal !== undefined && (
          <p className="notice notice-error" data-testid="task-refused">
            {errorText(refusal, t)}
          </p>
        )}
        {task?.status === 'failed' && <p className="notice notice-error">{codeText(task.errorCode, task.errorFigures, t) ?? t('taskFailedPlain')}</p>}
        {task?.status === 'done' && refusal === undefined && children?.(task)}
      </div>
    </div>
  );
}

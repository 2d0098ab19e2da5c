import { JobName } from '../../queues/job-catalog';
import { CaptionLanguage } from '../caption.types';
import { CaptionTaskKind } from './caption-task.entity';

/** The job that does each kind of task. */
export const CAPTION_TASK_JOB: Record<CaptionTaskKind, JobName.CaptionSpeechSegments | JobName.CaptionTranscript | JobName.CaptionBurnIn> = {
  'speech-segments': JobName.CaptionSpeechSegments,
  transcript: JobName.CaptionTranscript,
  'burn-in': JobName.CaptionBurnIn,
};

/** The payload of the three caption task jobs: which task row, and which of its requests. */
export interface CaptionTaskPayload {
  taskId: string;
  request: number;
}

export interface CaptionTaskResult {
  taskId: string;
  outcome: 'done' | 'stale';
}

/** One job per request: asking twice while one runs adds nothing, asking again later is a new job. */
export function captionTaskJobId(kind: CaptionTaskKind, taskId: string, request: number): string {
  return `caption-${kind}-${taskId}-${request}`;
}

/** A burned frame for the editor's preview: synchronous for the person waiting, so it carries its answer. */
export interface CaptionPreviewPayload {
  testimonyId: string;
  language: CaptionLanguage;
  atMs: number;
}

export interface CaptionPreviewResult {
  /** A JPEG, small enough (at most 720 px on its long side) to travel through Redis. */
  jpegBase64: string;
}

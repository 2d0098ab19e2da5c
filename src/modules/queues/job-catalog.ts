import type { CaptionPreviewPayload, CaptionPreviewResult, CaptionTaskPayload, CaptionTaskResult } from '../captions/tasks/caption-task.job';
import type { PublishPayload, PublishResult, TakeDownPayload, TakeDownResult } from '../publishing/publishing.job';
import type { InsightsSyncPayload, InsightsSyncResult } from '../reach/insights/insights-sync.job';
import type { ProcessTestimonyPayload, ProcessTestimonyResult, LateRenditionResult } from '../processing/process-testimony.job';
import type { WorkerCheckPayload, WorkerCheckResult } from '../system/worker-check';
import type { ReconcilePayload, ReconcileReport } from './expected-work';

/**
 * Every queue and job the system runs, with the payload each job takes and the result it returns.
 * Adding a job here without a handler stops the worker at start-up (see JobDispatcher).
 */
export enum QueueName {
  System = 'system',
  /** Transcoding and image work: long, CPU-heavy jobs. */
  Media = 'media',
  /** Short caption work that a person waits for (timings, a preview frame): never behind a transcode. */
  Captions = 'captions',
  /** Calls to the Facebook Page: never behind a transcode, and paced by the Page's own limits. */
  Publishing = 'publishing',
}

export enum JobName {
  WorkerCheck = 'worker-check',
  ReconcileJobs = 'reconcile-jobs',
  ProcessTestimony = 'process-testimony',
  CaptionSpeechSegments = 'caption-speech-segments',
  CaptionTranscript = 'caption-transcript',
  CaptionBurnIn = 'caption-burn-in',
  CaptionPreview = 'caption-preview',
  WithdrawalMediaPurge = 'withdrawal-media-purge',
  MakeReviewRendition = 'make-review-rendition',
  MakePublishRendition = 'make-publish-rendition',
  PublishPublication = 'publish-publication',
  TakeDownPublication = 'take-down-publication',
  InsightsSync = 'insights-sync',
}

export interface JobPayloads {
  [JobName.WorkerCheck]: WorkerCheckPayload;
  [JobName.ReconcileJobs]: ReconcilePayload;
  [JobName.ProcessTestimony]: ProcessTestimonyPayload;
  [JobName.CaptionSpeechSegments]: CaptionTaskPayload;
  [JobName.CaptionTranscript]: CaptionTaskPayload;
  [JobName.CaptionBurnIn]: CaptionTaskPayload;
  [JobName.CaptionPreview]: CaptionPreviewPayload;
  [JobName.WithdrawalMediaPurge]: Record<string, never>;
  [JobName.MakeReviewRendition]: ProcessTestimonyPayload;
  [JobName.MakePublishRendition]: ProcessTestimonyPayload;
  [JobName.PublishPublication]: PublishPayload;
  [JobName.TakeDownPublication]: TakeDownPayload;
  [JobName.InsightsSync]: InsightsSyncPayload;
}

export interface JobResults {
  [JobName.WorkerCheck]: WorkerCheckResult;
  [JobName.ReconcileJobs]: ReconcileReport;
  [JobName.ProcessTestimony]: ProcessTestimonyResult;
  [JobName.CaptionSpeechSegments]: CaptionTaskResult;
  [JobName.CaptionTranscript]: CaptionTaskResult;
  [JobName.CaptionBurnIn]: CaptionTaskResult;
  [JobName.CaptionPreview]: CaptionPreviewResult;
  [JobName.WithdrawalMediaPurge]: { purged: number };
  [JobName.MakeReviewRendition]: LateRenditionResult;
  [JobName.MakePublishRendition]: LateRenditionResult;
  [JobName.PublishPublication]: PublishResult;
  [JobName.TakeDownPublication]: TakeDownResult;
  [JobName.InsightsSync]: InsightsSyncResult;
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.WorkerCheck]: QueueName.System,
  [JobName.ReconcileJobs]: QueueName.System,
  [JobName.ProcessTestimony]: QueueName.Media,
  [JobName.CaptionSpeechSegments]: QueueName.Captions,
  [JobName.CaptionPreview]: QueueName.Captions,
  // Full passes over the video: they share the media queue's one-at-a-time CPU budget.
  [JobName.CaptionBurnIn]: QueueName.Media,
  [JobName.CaptionTranscript]: QueueName.Media,
  [JobName.WithdrawalMediaPurge]: QueueName.System,
  [JobName.MakeReviewRendition]: QueueName.Media,
  [JobName.MakePublishRendition]: QueueName.Media,
  [JobName.PublishPublication]: QueueName.Publishing,
  [JobName.TakeDownPublication]: QueueName.Publishing,
  // Reads share the Page's budget with publishing: one queue, one pace.
  [JobName.InsightsSync]: QueueName.Publishing,
};

/**
 * BullMQ runs jobs without a priority first, then lower numbers before higher. Processing new
 * uploads keeps no priority; a requested burn-in comes next; transcripts, slow and optional, last.
 */
export const JOB_PRIORITY: Partial<Record<JobName, number>> = {
  [JobName.CaptionBurnIn]: 1,
  // New uploads reach review first; then the rendition an editor needs before approving.
  [JobName.MakePublishRendition]: 2,
  // The item is already in review with its publish rendition: the lighter copy waits for new uploads.
  [JobName.MakeReviewRendition]: 5,
  [JobName.CaptionTranscript]: 10,
};

import type { ProcessTestimonyPayload, ProcessTestimonyResult } from '../processing/process-testimony.job';
import type { WorkerCheckPayload, WorkerCheckResult } from '../system/worker-check';

/**
 * Every queue and job the system runs, with the payload each job takes and the result it returns.
 * Adding a job here without a handler stops the worker at start-up (see JobDispatcher).
 */
export enum QueueName {
  System = 'system',
  /** Transcoding and image work: long, CPU-heavy jobs. */
  Media = 'media',
}

export enum JobName {
  WorkerCheck = 'worker-check',
  ProcessTestimony = 'process-testimony',
}

export interface JobPayloads {
  [JobName.WorkerCheck]: WorkerCheckPayload;
  [JobName.ProcessTestimony]: ProcessTestimonyPayload;
}

export interface JobResults {
  [JobName.WorkerCheck]: WorkerCheckResult;
  [JobName.ProcessTestimony]: ProcessTestimonyResult;
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.WorkerCheck]: QueueName.System,
  [JobName.ProcessTestimony]: QueueName.Media,
};

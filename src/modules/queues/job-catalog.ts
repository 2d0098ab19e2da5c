import type { WorkerCheckPayload, WorkerCheckResult } from '../system/worker-check';

/**
 * Every queue and job the system runs, with the payload each job takes and the result it returns.
 * Adding a job here without a handler stops the worker at start-up (see JobDispatcher).
 */
export enum QueueName {
  System = 'system',
}

export enum JobName {
  WorkerCheck = 'worker-check',
}

export interface JobPayloads {
  [JobName.WorkerCheck]: WorkerCheckPayload;
}

export interface JobResults {
  [JobName.WorkerCheck]: WorkerCheckResult;
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.WorkerCheck]: QueueName.System,
};

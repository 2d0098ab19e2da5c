import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from './job-catalog';

/** A job that PostgreSQL says should be queued or running, exactly as the code that asked for it enqueues it. */
export type ExpectedJob = {
  [N in JobName]: {
    name: N;
    data: JobPayloads[N];
    /** The deterministic id the job was (or should have been) added with, so adding it again is a no-op. */
    jobId: string;
    /** For the admins' record of recoveries. */
    testimonyId: string | null;
    /** Options the job is added with beyond its id (a takedown's many attempts). */
    options?: { attempts: number };
    /**
     * End states in which a job of this id has not done the row's work, so it is run again: `completed`
     * for one that ran before the row asked for it (added from inside a transaction that committed late),
     * `failed` for work that is to be tried again later rather than settled (a lost answer looked for).
     */
    rerunIf?: ('completed' | 'failed')[];
  };
}[JobName];

/**
 * One kind of work whose truth is a PostgreSQL row: items processing, caption tasks queued or running,
 * and so on. The reconciler asks each source what should be in the queues; a job that is missing is
 * added again, and one that failed for good while its row still says "running" is settled through the
 * job's @JobGaveUp method. Sources list only rows that are still under way, so deleted or withdrawn
 * work is never added back.
 */
export interface ExpectedWorkSource {
  expectedJobs(): Promise<ExpectedJob[]>;
}

export const EXPECTED_WORK_SOURCE_KEY = 'migra:expected-work-source';

/** Marks a worker-side provider that implements ExpectedWorkSource; the reconciler finds it at start-up. */
export const ExpectedWork = (): ClassDecorator => SetMetadata(EXPECTED_WORK_SOURCE_KEY, true);

export type ReconcilePayload = Record<string, never>;

export interface ReconcileReport {
  requeued: number;
  settled: number;
}

import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { ErrorCode, ErrorFigures } from '../../common/errors/app-error';

/** Why a job failed for good: a code and figures the web app words, and the English sentence for staff. */
export interface JobFailureReason {
  code: string;
  reason: string;
  figures: ErrorFigures | null;
}

/** A failure that carries its own code (a refused file, a refused caption draft). */
interface Coded {
  code: string;
  figures?: ErrorFigures;
}

export interface FailureSettlement {
  /** No retry can fix it (bad input, a refusal): fail at once, with the error's own words. */
  permanent: boolean;
  /** Words for the person who asked when the last retry failed too; the cause is appended for staff. */
  gaveUpReason: string;
  /** Records the reason where people see it (the item, the task row), with its code and figures. */
  markFailed(failure: JobFailureReason): Promise<void>;
  onMarkFailedError(error: Error): void;
}

/**
 * What a handler throws after a failed attempt: the error itself while retries remain (BullMQ retries
 * it), or, once the failure is final, the same after recording why, as UnrecoverableError when no
 * retry could help. If recording fails, the error is thrown as it is so a retry gets another chance.
 */
export async function settleJobFailure(job: Job, error: Error, settlement: FailureSettlement): Promise<Error> {
  const { permanent } = settlement;
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!permanent && !lastAttempt) return error;
  const coded = error as Partial<Coded>;
  const failure: JobFailureReason = permanent
    ? { code: typeof coded.code === 'string' ? coded.code : ErrorCode.Internal, reason: error.message, figures: coded.figures ?? null }
    : { code: ErrorCode.JobGaveUp, reason: gaveUpMessage(settlement.gaveUpReason, error), figures: null };
  try {
    await settlement.markFailed(failure);
  } catch (recordError) {
    settlement.onMarkFailedError(recordError as Error);
    return permanent ? (recordError as Error) : error;
  }
  return permanent ? new UnrecoverableError(error.message) : error;
}

/** The reason shown when BullMQ gave up on a job: plain words first, then the cause for staff. */
export function gaveUpMessage(reason: string, cause: Error): string {
  return `${reason} (Cause, for staff: ${cause.message})`;
}

/** Progress is written at most every this many points: enough for a progress bar. */
const PROGRESS_STEP = 5;

/**
 * A progress listener for long work: writes the job's progress and `save`s it (for the item or task
 * row people watch) every few points. Never awaited by the work: ffmpeg's progress must not wait on
 * Redis or PostgreSQL, and a lost update is harmless.
 */
export function jobProgressReporter(job: Job, save: (percent: number) => Promise<unknown>): (percent: number) => void {
  let reported = 0;
  return (percent) => {
    const rounded = Math.floor(Math.min(100, Math.max(0, percent)));
    if (rounded < reported + PROGRESS_STEP) return;
    reported = rounded;
    job.updateProgress(rounded).catch(() => undefined);
    save(rounded).catch(() => undefined);
  };
}

/**
 * Puts the running job back to wait `delayMs` without spending one of its attempts, for a job that found
 * its work held by another run: BullMQ leaves a job alone after this error.
 */
export async function runAgainLater(job: Job, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, job.token);
  throw new DelayedError();
}

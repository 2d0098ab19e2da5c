import { Job } from 'bullmq';
import { MediaRejectedError, RejectionCode } from '../media/media.types';
import { JobFailureReason, settleJobFailure } from './job-outcome';

const jobOnAttempt = (attemptsMade: number, attempts = 3) => ({ attemptsMade, opts: { attempts } }) as Job;

describe('settleJobFailure', () => {
  const settle = (job: Job, error: Error, permanent: boolean, markFailed: (failure: JobFailureReason) => Promise<void> = jest.fn(async () => undefined)) => {
    const onMarkFailedError = jest.fn();
    return { result: settleJobFailure(job, error, { permanent, gaveUpReason: 'We gave up.', markFailed, onMarkFailedError }), markFailed, onMarkFailedError };
  };

  it('fails bad input at once, in its own words with its code and figures, and stops retries', async () => {
    const refusal = new MediaRejectedError(RejectionCode.TooLong, 'This video is too long.', { durationSeconds: 1200, limitSeconds: 900 });
    const { result, markFailed } = settle(jobOnAttempt(0), refusal, true);
    await expect(result).resolves.toMatchObject({ name: 'UnrecoverableError', message: 'This video is too long.' });
    expect(markFailed).toHaveBeenCalledWith({ code: 'MEDIA_TOO_LONG', reason: 'This video is too long.', figures: { durationSeconds: 1200, limitSeconds: 900 } });
  });

  it('leaves a passing fault to BullMQ while attempts remain, recording nothing', async () => {
    const error = new Error('S3 timed out');
    const { result, markFailed } = settle(jobOnAttempt(1), error, false);
    await expect(result).resolves.toBe(error);
    expect(markFailed).not.toHaveBeenCalled();
  });

  it('records the plain reason with the cause for staff on the last attempt', async () => {
    const error = new Error('S3 timed out');
    const { result, markFailed } = settle(jobOnAttempt(2), error, false);
    await expect(result).resolves.toBe(error);
    expect(markFailed).toHaveBeenCalledWith({ code: 'JOB_GAVE_UP', reason: 'We gave up. (Cause, for staff: S3 timed out)', figures: null });
  });

  it('lets a retry try again when the failure could not be recorded', async () => {
    const dbDown = new Error('database down');
    const { result, onMarkFailedError } = settle(jobOnAttempt(0), new Error('bad file'), true, async () => Promise.reject(dbDown));
    await expect(result).resolves.toBe(dbDown);
    expect(onMarkFailedError).toHaveBeenCalledWith(dbDown);
  });
});

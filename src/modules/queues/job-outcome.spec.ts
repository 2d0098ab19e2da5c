import { Job } from 'bullmq';
import { settleJobFailure } from './job-outcome';

const jobOnAttempt = (attemptsMade: number, attempts = 3) => ({ attemptsMade, opts: { attempts } }) as Job;

describe('settleJobFailure', () => {
  const settle = (job: Job, error: Error, permanent: boolean, markFailed: (reason: string) => Promise<void> = jest.fn(async () => undefined)) => {
    const onMarkFailedError = jest.fn();
    return { result: settleJobFailure(job, error, { permanent, gaveUpReason: 'We gave up.', markFailed, onMarkFailedError }), markFailed, onMarkFailedError };
  };

  it('fails bad input at once, in its own words, and stops retries', async () => {
    const { result, markFailed } = settle(jobOnAttempt(0), new Error('This file is not a video.'), true);
    await expect(result).resolves.toMatchObject({ name: 'UnrecoverableError', message: 'This file is not a video.' });
    expect(markFailed).toHaveBeenCalledWith('This file is not a video.');
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
    expect(markFailed).toHaveBeenCalledWith('We gave up. (Cause, for staff: S3 timed out)');
  });

  it('lets a retry try again when the failure could not be recorded', async () => {
    const dbDown = new Error('database down');
    const { result, onMarkFailedError } = settle(jobOnAttempt(0), new Error('bad file'), true, async () => Promise.reject(dbDown));
    await expect(result).resolves.toBe(dbDown);
    expect(onMarkFailedError).toHaveBeenCalledWith(dbDown);
  });
});

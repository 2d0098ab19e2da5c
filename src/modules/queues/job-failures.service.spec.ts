import { Job, UnrecoverableError } from 'bullmq';
import { isFinalFailure } from './job-failures.service';

const job = (attemptsMade: number, attempts = 5) => ({ attemptsMade, opts: { attempts } }) as Job;

describe('isFinalFailure', () => {
  it('is final once the attempts are used up, not before', () => {
    expect(isFinalFailure(job(4), new Error('S3 timed out'))).toBe(false);
    expect(isFinalFailure(job(5), new Error('S3 timed out'))).toBe(true);
  });

  it('is final at once for bad input', () => {
    expect(isFinalFailure(job(1), new UnrecoverableError('not a video'))).toBe(true);
  });

  it('is final when workers died under the job too often, whatever attempts remain', () => {
    expect(isFinalFailure(job(0), new Error('job stalled more than allowable limit'))).toBe(true);
  });
});

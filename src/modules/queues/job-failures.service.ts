import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Job, UnrecoverableError } from 'bullmq';
import { Repository } from 'typeorm';
import { JobFailure } from './job-failure.entity';

/** True when BullMQ will not try the job again. */
export function isFinalFailure(job: Job, error: Error): boolean {
  if (error instanceof UnrecoverableError || error.name === 'UnrecoverableError') return true;
  // BullMQ fails a job whose workers died under it too often, whatever attempts remain.
  if (/stalled more than allowable limit/.test(error.message)) return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

@Injectable()
export class JobFailuresService {
  constructor(@InjectRepository(JobFailure) private readonly failures: Repository<JobFailure>) {}

  async record(queue: string, job: Job, error: Error): Promise<void> {
    const data = job.data as { testimonyId?: unknown } | undefined;
    await this.failures.insert({
      queue,
      jobName: job.name,
      jobId: String(job.id ?? ''),
      testimonyId: typeof data?.testimonyId === 'string' ? data.testimonyId : null,
      attemptsMade: job.attemptsMade,
      final: isFinalFailure(job, error),
      reason: (error.message || error.name).slice(0, 2000),
    });
  }

  list(skip: number, take: number): Promise<[JobFailure[], number]> {
    return this.failures.findAndCount({ order: { failedAt: 'DESC' }, skip, take });
  }
}

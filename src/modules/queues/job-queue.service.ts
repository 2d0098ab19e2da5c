import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Job, JobsOptions, Queue } from 'bullmq';
import { AppError } from '../../common/errors/app-error';
import { JOB_PRIORITY, JobName, JobPayloads, JobResults, QUEUE_OF, QueueName } from './job-catalog';

const ENQUEUE_TIMEOUT_MS = 5000;

export type TypedJob<N extends JobName> = Job<JobPayloads[N], JobResults[N], N>;

/** Adds jobs by name with a payload checked against the catalogue; the only way the app enqueues work. */
@Injectable()
export class JobQueue {
  private readonly logger = new Logger(JobQueue.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.System) system: Queue,
    @InjectQueue(QueueName.Media) media: Queue,
    @InjectQueue(QueueName.Captions) captions: Queue,
    @InjectQueue(QueueName.Publishing) publishing: Queue,
  ) {
    this.queues = { [QueueName.System]: system, [QueueName.Media]: media, [QueueName.Captions]: captions, [QueueName.Publishing]: publishing };
    for (const queue of Object.values(this.queues)) {
      // Without a listener an 'error' event would crash the process while Redis is away.
      queue.on('error', (error) => this.logger.warn(`Queue ${queue.name}: ${error.message}`));
    }
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /**
   * Enqueues a job. A `jobId` makes the add idempotent: BullMQ ignores a second add with the same id.
   * Fails with 503 within a few seconds when Redis is down, rather than hanging the request.
   */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<TypedJob<N>> {
    if (options.jobId?.includes(':')) throw new Error(`Job ids may not contain ':' (got ${options.jobId})`);
    const queue = this.queues[QUEUE_OF[name]];
    let timer: NodeJS.Timeout | undefined;
    try {
      const job = await Promise.race([
        queue.add(name, payload, { priority: JOB_PRIORITY[name], ...options }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out adding a job')), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
      return job as TypedJob<N>;
    } catch (error) {
      this.logger.warn(`Could not enqueue ${name}: ${(error as Error).message}`);
      throw AppError.unavailable('The job queue (Redis)', 'Your request was not started; try again in a minute.');
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Makes the job with this id run now, whatever an earlier run left: a delayed one (backing off after
   * failed attempts) is promoted, and one that ended is replaced, since BullMQ ignores a new add while a
   * finished job keeps the id. One waiting or running already is left as it is.
   */
  async runNow<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions & { jobId: string }): Promise<void> {
    const job = await this.queues[QUEUE_OF[name]].getJob(options.jobId);
    const state = job ? await job.getState() : 'unknown';
    if (state === 'delayed') return job!.promote();
    if (state === 'completed' || state === 'failed') await job!.remove();
    if (state === 'completed' || state === 'failed' || state === 'unknown') await this.enqueue(name, payload, options);
  }
}

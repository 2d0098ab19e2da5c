import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { JobName, QueueName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { JobWaiter } from '../queues/job-waiter';
import { WorkerCheckResult } from './worker-check';

const WAIT_MS = 15_000;

@Injectable()
export class SystemService {
  constructor(
    private readonly jobs: JobQueue,
    private readonly waiter: JobWaiter,
  ) {}

  /** Sends a check through the real queue and waits for a worker's answer. */
  async checkWorker(actor: AuthUser): Promise<WorkerCheckResult> {
    // One attempt: a check that waits through retries would answer long after the admin gave up.
    const job = await this.jobs.enqueue(JobName.WorkerCheck, { requestedBy: actor.username }, { attempts: 1, removeOnComplete: 100, removeOnFail: 100 });
    return this.waiter.result(
      QueueName.System,
      job,
      WAIT_MS,
      `No worker answered within ${WAIT_MS / 1000} seconds. Check that the worker process is running (npm run start:worker) and look at its log.`,
    );
  }
}

import { SetMetadata } from '@nestjs/common';
import { JobName } from './job-catalog';

export const JOB_HANDLER_KEY = 'migra:job-handler';

/** Marks the service method that runs a job. The worker refuses to start unless each job has exactly one. */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER_KEY, name);

export const JOB_GAVE_UP_KEY = 'migra:job-gave-up';

/**
 * Marks the method that settles a job BullMQ has given up on, whatever the cause: the handler's own last
 * attempt, or a worker dying under it too often (stalled past maxStalledCount), where the handler never
 * gets to say anything. At most one per job; optional.
 */
export const JobGaveUp = (name: JobName): MethodDecorator => SetMetadata(JOB_GAVE_UP_KEY, name);

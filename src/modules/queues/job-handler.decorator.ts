import { SetMetadata } from '@nestjs/common';
import { JobName } from './job-catalog';

export const JOB_HANDLER_KEY = 'migra:job-handler';

/** Marks the service method that runs a job. The worker refuses to start unless each job has exactly one. */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER_KEY, name);

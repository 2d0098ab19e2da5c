import { Processor } from '@nestjs/bullmq';
import { QueueName } from '../queues/job-catalog';
import { QueueProcessor } from '../queues/queue-processor';

/** Short housekeeping jobs; long lock so a slow S3 answer never makes a check look stalled. */
@Processor(QueueName.System, { lockDuration: 60_000 })
export class SystemProcessor extends QueueProcessor {}

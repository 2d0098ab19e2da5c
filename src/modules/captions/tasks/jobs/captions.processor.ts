import { Processor } from '@nestjs/bullmq';
import { QueueName } from '../../../queues/job-catalog';
import { QueueProcessor } from '../../../queues/queue-processor';

/** Short caption jobs a person waits on; their own queue so a long transcode never holds them up. */
@Processor(QueueName.Captions, { lockDuration: 60_000 })
export class CaptionsProcessor extends QueueProcessor {}

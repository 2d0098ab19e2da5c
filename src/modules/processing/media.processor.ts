import { Processor } from '@nestjs/bullmq';
import { Type } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../queues/job-catalog';
import { QueueProcessor } from '../queues/queue-processor';

/**
 * The media queue's worker. Lock timings come from config (tests shorten them), so the class is
 * decorated when the module is built:
 * - lockDuration: ffmpeg runs in a child process and sharp off the main thread, so the event loop stays
 *   free to renew the lock; the lock's length only sets how soon a crashed worker's job is taken up again.
 * - maxStalledCount 2: a worker killed mid-transcode (deploy, OOM) gets its job re-run, but a file that
 *   kills the worker every time stops after the third try instead of taking workers down forever.
 */
export function mediaProcessor(media: AppConfig['media']): Type<QueueProcessor> {
  @Processor(QueueName.Media, {
    lockDuration: media.jobLockSeconds * 1000,
    stalledInterval: media.stalledCheckSeconds * 1000,
    maxStalledCount: 2,
  })
  class MediaProcessor extends QueueProcessor {}
  return MediaProcessor;
}

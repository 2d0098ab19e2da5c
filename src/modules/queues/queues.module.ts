import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { RedisModule } from '../redis/redis.module';
import { APP_CONFIG } from '../../config/config.module';
import { QueueName } from './job-catalog';
import { JobDispatcher } from './job-dispatcher';
import { JobFailure } from './job-failure.entity';
import { JobFailuresController } from './job-failures.controller';
import { JobFailuresService } from './job-failures.service';
import { JobQueue } from './job-queue.service';
import { JobReconciler } from './job-reconciler';
import { JobRecoveriesController } from './job-recoveries.controller';
import { JobRecoveriesService } from './job-recoveries.service';
import { JobRecovery } from './job-recovery.entity';
import { JobWaiter } from './job-waiter';
import { ProcessRole, redisConnectionOptions } from './redis-connection';
import { WorkerHeartbeat } from './worker-heartbeat.service';

const DAY = 24 * 3600;

@Module({})
export class QueuesModule {
  static forRoot(role: ProcessRole): DynamicModule {
    const registered = BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name })));
    // Global: the queue connection is process-wide, and feature modules only need JobQueue.
    return {
      module: QueuesModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: redisConnectionOptions(config.redis.url, role),
            prefix: config.queues.prefix,
            defaultJobOptions: {
              attempts: config.queues.attempts,
              backoff: { type: 'exponential', delay: config.queues.backoffMs },
              removeOnComplete: { age: 7 * DAY, count: 5000 },
              removeOnFail: { age: 30 * DAY },
            },
          }),
        }),
        registered,
        // JobWaiter reads where the events stream stands, with the fail-fast connection requests use.
        RedisModule,
        TypeOrmModule.forFeature([JobFailure, JobRecovery]),
        ...(role === 'worker' ? [DiscoveryModule] : []),
      ],
      controllers: role === 'api' ? [JobFailuresController, JobRecoveriesController] : [],
      providers: [JobQueue, JobWaiter, JobFailuresService, JobRecoveriesService, ...(role === 'worker' ? [JobDispatcher, JobReconciler, WorkerHeartbeat] : [])],
      exports: [registered, JobQueue, JobWaiter, JobFailuresService, ...(role === 'worker' ? [JobDispatcher] : [])],
    };
  }
}

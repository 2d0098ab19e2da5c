import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError, loadConfig } from './config/app-config';
import { explainStartupFailure } from './common/startup-failure';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  // SIGTERM closes the BullMQ workers, which wait for running jobs before the process exits.
  app.enableShutdownHooks();
  await app.init();
  console.log(`Migra Media worker started (concurrency ${config.queues.workerConcurrency}, pid ${process.pid})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : explainStartupFailure('worker', error));
  process.exit(1);
});

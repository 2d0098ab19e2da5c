import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Job } from 'bullmq';
import { JobName } from './job-catalog';
import { JobDispatcher } from './job-dispatcher';
import { JobHandler } from './job-handler.decorator';

@Injectable()
class CheckHandler {
  @JobHandler(JobName.WorkerCheck)
  async run(job: Job): Promise<string> {
    return `ran ${job.name}`;
  }
}

@Injectable()
class ProcessHandler {
  @JobHandler(JobName.ProcessTestimony)
  async run(): Promise<void> {}
}

@Injectable()
class SecondCheckHandler {
  @JobHandler(JobName.WorkerCheck)
  async again(): Promise<void> {}
}

async function dispatcherWith(...handlers: (new () => object)[]): Promise<JobDispatcher> {
  @Module({ imports: [DiscoveryModule], providers: [JobDispatcher, ...handlers] })
  class HandlersModule {}
  const moduleRef = await Test.createTestingModule({ imports: [HandlersModule] }).compile();
  await moduleRef.init();
  return moduleRef.get(JobDispatcher);
}

describe('JobDispatcher', () => {
  it('routes each job to its handler', async () => {
    const dispatcher = await dispatcherWith(CheckHandler, ProcessHandler);
    await expect(dispatcher.dispatch({ name: JobName.WorkerCheck } as Job)).resolves.toBe('ran worker-check');
  });

  it('refuses to start when a job has no handler', async () => {
    await expect(dispatcherWith(ProcessHandler)).rejects.toThrow(/job "worker-check" has no @JobHandler/);
  });

  it('refuses to start when a job has two handlers', async () => {
    await expect(dispatcherWith(CheckHandler, SecondCheckHandler, ProcessHandler)).rejects.toThrow(/job "worker-check" has 2 handlers/);
  });

  it('fails an unknown job for good instead of retrying it', async () => {
    const dispatcher = await dispatcherWith(CheckHandler, ProcessHandler);
    await expect(dispatcher.dispatch({ name: 'unknown' } as Job)).rejects.toMatchObject({ name: 'UnrecoverableError' });
  });
});

import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Job } from 'bullmq';
import { JobName } from './job-catalog';
import { JobDispatcher } from './job-dispatcher';
import { JobGaveUp, JobHandler } from './job-handler.decorator';

@Injectable()
class CheckHandler {
  @JobHandler(JobName.WorkerCheck)
  async run(job: Job): Promise<string> {
    return `ran ${job.name}`;
  }

  @JobHandler(JobName.ReconcileJobs)
  async reconcile(): Promise<void> {}
}

@Injectable()
class ProcessHandler {
  settled: string[] = [];

  @JobHandler(JobName.ProcessTestimony)
  async run(): Promise<void> {}

  @JobGaveUp(JobName.ProcessTestimony)
  async gaveUp(job: Job, error: Error): Promise<void> {
    this.settled.push(`${job.id}: ${error.message}`);
  }
}

/** The caption jobs and the other housekeeping, handled so that the sets below are complete unless a test leaves one out on purpose. */
@Injectable()
class CaptionHandlers {
  @JobHandler(JobName.CaptionSpeechSegments)
  async segments(): Promise<void> {}

  @JobHandler(JobName.CaptionTranscript)
  async transcript(): Promise<void> {}

  @JobHandler(JobName.CaptionBurnIn)
  async burnIn(): Promise<void> {}

  @JobHandler(JobName.CaptionPreview)
  async preview(): Promise<void> {}

  @JobHandler(JobName.WithdrawalMediaPurge)
  async purge(): Promise<void> {}

  @JobHandler(JobName.PublishPublication)
  async publish(): Promise<void> {}

  @JobHandler(JobName.MakeReviewRendition)
  async review(): Promise<void> {}

  @JobHandler(JobName.MakePublishRendition)
  async publishRendition(): Promise<void> {}

  @JobHandler(JobName.TakeDownPublication)
  async takeDown(): Promise<void> {}

  @JobHandler(JobName.InsightsSync)
  async insights(): Promise<void> {}
}

@Injectable()
class SecondCheckHandler {
  @JobHandler(JobName.WorkerCheck)
  async again(): Promise<void> {}
}

async function moduleWith(...handlers: (new () => object)[]) {
  @Module({ imports: [DiscoveryModule], providers: [JobDispatcher, ...handlers] })
  class HandlersModule {}
  const moduleRef = await Test.createTestingModule({ imports: [HandlersModule] }).compile();
  await moduleRef.init();
  return moduleRef;
}

async function dispatcherWith(...handlers: (new () => object)[]): Promise<JobDispatcher> {
  return (await moduleWith(...handlers)).get(JobDispatcher);
}

describe('JobDispatcher', () => {
  it('routes each job to its handler', async () => {
    const dispatcher = await dispatcherWith(CheckHandler, ProcessHandler, CaptionHandlers);
    await expect(dispatcher.dispatch({ name: JobName.WorkerCheck } as Job)).resolves.toBe('ran worker-check');
  });

  it('refuses to start when a job has no handler', async () => {
    await expect(dispatcherWith(ProcessHandler, CaptionHandlers)).rejects.toThrow(/job "worker-check" has no @JobHandler/);
  });

  it('refuses to start when a job has two handlers', async () => {
    await expect(dispatcherWith(CheckHandler, SecondCheckHandler, ProcessHandler, CaptionHandlers)).rejects.toThrow(/job "worker-check" has 2 handlers/);
  });

  it('fails an unknown job for good instead of retrying it', async () => {
    const dispatcher = await dispatcherWith(CheckHandler, ProcessHandler, CaptionHandlers);
    await expect(dispatcher.dispatch({ name: 'unknown' } as Job)).rejects.toMatchObject({ name: 'UnrecoverableError' });
  });

  it('hands a job it gave up on to the owner that settles it, and ignores jobs with no such owner', async () => {
    const moduleRef = await moduleWith(CheckHandler, ProcessHandler, CaptionHandlers);
    const dispatcher = moduleRef.get(JobDispatcher);
    await dispatcher.gaveUp({ id: 'p1', name: JobName.ProcessTestimony } as Job, new Error('job stalled more than allowable limit'));
    await dispatcher.gaveUp({ id: 'c1', name: JobName.WorkerCheck } as Job, new Error('boom'));
    expect(moduleRef.get(ProcessHandler).settled).toEqual(['p1: job stalled more than allowable limit']);
  });
});

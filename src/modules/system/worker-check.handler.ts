import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hostname } from 'node:os';
import { FfmpegBinaries } from '../media/ffmpeg-binaries';
import { JobName } from '../queues/job-catalog';
import { JobHandler } from '../queues/job-handler.decorator';
import { TypedJob } from '../queues/job-queue.service';
import { StorageService } from '../storage/storage.service';
import { DependencyCheckDto, WorkerCheckResult } from './worker-check';

async function attempt(run: () => Promise<string>): Promise<DependencyCheckDto> {
  try {
    return { ok: true, detail: await run() };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

/** Runs in the worker: answers an admin's "is the worker alive and able to work?". */
@Injectable()
export class WorkerCheckHandler {
  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly binaries: FfmpegBinaries,
  ) {}

  @JobHandler(JobName.WorkerCheck)
  async run(_job: TypedJob<JobName.WorkerCheck>): Promise<WorkerCheckResult> {
    const [database, storage, tools] = await Promise.all([
      attempt(async () => {
        await this.db.query('SELECT 1');
        return 'PostgreSQL answered';
      }),
      attempt(async () => {
        await this.storage.ping();
        return `bucket ${this.storage.bucketName} reachable`;
      }),
      this.binaries.check(0),
    ]);
    const checks = { database, storage, ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe };
    return {
      hostname: hostname(),
      pid: process.pid,
      checkedAt: new Date().toISOString(),
      ok: Object.values(checks).every((c) => c.ok),
      checks,
    };
  }
}

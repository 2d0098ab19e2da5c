import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ExpectedJob, ExpectedWork, ExpectedWorkSource } from '../../../queues/expected-work';
import { CaptionTask } from '../caption-task.entity';
import { CAPTION_TASK_JOB, captionTaskJobId } from '../caption-task.job';

/** A caption task that is queued or running needs the job of its latest request. */
@ExpectedWork()
@Injectable()
export class CaptionTaskWorkSource implements ExpectedWorkSource {
  constructor(@InjectRepository(CaptionTask) private readonly tasks: Repository<CaptionTask>) {}

  async expectedJobs(): Promise<ExpectedJob[]> {
    const underWay = await this.tasks.find({
      where: { status: In(['queued', 'running']) },
      select: { id: true, kind: true, request: true, testimonyId: true },
    });
    return underWay.map((task) => ({
      name: CAPTION_TASK_JOB[task.kind],
      data: { taskId: task.id, request: task.request },
      jobId: captionTaskJobId(task.kind, task.id, task.request),
      testimonyId: task.testimonyId,
    }));
  }
}

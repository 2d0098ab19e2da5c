import { JobFailureReason } from '../../../queues/job-outcome';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { CaptionTask } from '../caption-task.entity';

export type TaskOutcome = Pick<CaptionTask, 'cues' | 'outcome' | 'trackVersion'>;

/**
 * The worker's writes to a task row. Each names the request it belongs to, so a job left over from an
 * earlier request (the person asked again meanwhile) changes nothing.
 */
@Injectable()
export class CaptionTaskState {
  constructor(@InjectRepository(CaptionTask) private readonly tasks: Repository<CaptionTask>) {}

  /** The task, now running; null when this request was superseded or already settled. */
  async begin(taskId: string, request: number): Promise<CaptionTask | null> {
    const result = await this.tasks.update({ id: taskId, request, status: In(['queued', 'running']) }, { status: 'running', progress: 0 });
    return result.affected ? this.tasks.findOneBy({ id: taskId }) : null;
  }

  async progress(taskId: string, request: number, progress: number): Promise<void> {
    await this.tasks.update({ id: taskId, request, status: 'running' }, { progress });
  }

  async finish(taskId: string, request: number, outcome: Partial<TaskOutcome>): Promise<void> {
    await this.tasks.update({ id: taskId, request, status: In(['queued', 'running']) }, { ...outcome, status: 'done', progress: 100, error: null, finishedAt: new Date() });
  }

  /** Only a task still under way: a reason already given stays. */
  async fail(taskId: string, request: number, failure: JobFailureReason): Promise<void> {
    await this.tasks.update(
      { id: taskId, request, status: In(['queued', 'running']) },
      { status: 'failed', error: failure.reason, errorCode: failure.code, errorFigures: failure.figures, finishedAt: new Date() },
    );
  }
}

import { JobFailureReason } from '../../../queues/job-outcome';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { TestimonyStatus } from '../../../testimonies/testimony-status';
import { CaptionTask } from '../caption-task.entity';
import { withdrawnTask } from '../caption-task-withdrawal.effect';

export type TaskOutcome = Pick<CaptionTask, 'cues' | 'outcome' | 'trackVersion'>;

/**
 * The worker's writes to a task row. Each names the request it belongs to, so a job left over from an
 * earlier request (the person asked again meanwhile) changes nothing.
 */
@Injectable()
export class CaptionTaskState {
  constructor(@InjectRepository(CaptionTask) private readonly tasks: Repository<CaptionTask>) {}

  /**
   * The task, now running; null when this request was superseded or already settled, or when the item's
   * consent was withdrawn (a request that slipped in beside the withdrawal), which fails it.
   */
  async begin(taskId: string, request: number): Promise<CaptionTask | null> {
    const withdrawn = await this.tasks
      .createQueryBuilder()
      .update()
      .set(withdrawnTask())
      .where(`id = :taskId AND request = :request AND status IN ('queued', 'running')`, { taskId, request })
      .andWhere(`testimony_id IN (SELECT id FROM testimonies WHERE status = :withdrawn)`, { withdrawn: TestimonyStatus.Withdrawn })
      .execute();
    if (withdrawn.affected) return null;
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

import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ErrorCode } from '../../../common/errors/app-error';
import { WithdrawalEffects } from '../../consent/withdrawal-effects';
import { CaptionTask } from './caption-task.entity';

/** Said by a caption task that a withdrawal stopped (English, for staff; the web app words the code). */
export const WITHDRAWN_TASK = 'Consent for this item was withdrawn, so nothing more is made from it.';

/** The row of a caption task that a withdrawal stopped. */
export function withdrawnTask(): Partial<CaptionTask> {
  return { status: 'failed', error: WITHDRAWN_TASK, errorCode: ErrorCode.ItemWithdrawn, errorFigures: null, finishedAt: new Date() };
}

/**
 * A withdrawal stops the item's caption work in its own transaction: a burn-in still queued or running
 * would otherwise write a new captioned video of a person who asked to be taken down, and the
 * reconciler would queue it again for as long as it says "running".
 */
@Injectable()
export class CaptionTaskWithdrawalEffect implements OnModuleInit {
  constructor(private readonly effects: WithdrawalEffects) {}

  onModuleInit(): void {
    this.effects.register({ apply: (em, testimonyId) => this.apply(em, testimonyId) });
  }

  private async apply(em: EntityManager, testimonyId: string) {
    await em
      .getRepository(CaptionTask)
      .update({ testimonyId, status: In(['queued', 'running']) }, withdrawnTask());
    return { steps: {} };
  }
}

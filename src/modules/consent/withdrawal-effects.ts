import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { StepState, WithdrawalStepName } from './withdrawal.entity';

export interface StepOutcome {
  state: StepState;
  detail: Record<string, unknown>;
}

/** What another module does when an item is withdrawn, inside the withdrawal's transaction. */
export interface WithdrawalEffect {
  /** Changes rows and says how the steps it owns stand; `afterCommit` starts the work that calls out (jobs). */
  apply(em: EntityManager, testimonyId: string): Promise<{ steps: Partial<Record<WithdrawalStepName, StepOutcome>>; afterCommit?: () => Promise<void> }>;
}

/**
 * Where publishing plugs into a withdrawal without consent depending on publishing: the publishing module
 * registers its effect at start-up, and the withdrawal runs every registered effect in its transaction.
 */
@Injectable()
export class WithdrawalEffects {
  private readonly effects: WithdrawalEffect[] = [];

  register(effect: WithdrawalEffect): void {
    this.effects.push(effect);
  }

  all(): readonly WithdrawalEffect[] {
    return this.effects;
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** What another module does, in the move's own transaction, when an item leaves approval. */
export type ApprovalExit = (em: EntityManager, testimonyId: string) => Promise<void>;

/**
 * Where publishing plugs into the lifecycle without the lifecycle depending on publishing: an item sent
 * back to review (or to processing again) must not go on to the Page on the strength of the approval it
 * lost. A withdrawal is not one of these moves; it has effects of its own, with steps to report.
 */
@Injectable()
export class ApprovalExits {
  private readonly exits: ApprovalExit[] = [];

  register(exit: ApprovalExit): void {
    this.exits.push(exit);
  }

  async left(em: EntityManager, testimonyId: string): Promise<void> {
    for (const exit of this.exits) await exit(em, testimonyId);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditService } from '../audit/audit.service';
import { ApprovalExits } from './approval-exits';
import { Testimony } from './testimony.entity';
import { canMove, targetOf, TestimonyMove, TestimonyStatus } from './testimony-status';

/** Who made a move: a signed-in person, or the system (a worker job, a sweep) when null. */
export type LifecycleActor = { id: string; username: string } | null;

export interface MoveRequest {
  move: TestimonyMove;
  actor: LifecycleActor;
  context?: RequestContext;
  /** The end state, for a move that has several (undoing a re-processing request). */
  to?: TestimonyStatus;
  /** The row must still be at this processing generation: a superseded job must change nothing. */
  generation?: number;
  /** Columns that change with the status, in the same statement. */
  set?: Partial<Pick<Testimony, 'progress' | 'failureReason' | 'failureCode' | 'failureFigures' | 'placeholder' | 'processingGeneration' | 'uploadId' | 'originalSha256'>>;
  /** What the audit row says beyond the move itself (a note, the pinned versions). */
  details?: Record<string, unknown>;
}

export interface MoveResult {
  testimony: Testimony;
  from: TestimonyStatus;
}

/**
 * The one place where a testimony's status changes. Each move is checked against the table in
 * testimony-status.ts on the row locked for the change, and its audit row is written in the same
 * transaction, so the history shows every move and no move happens without one.
 */
@Injectable()
export class TestimonyLifecycle {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly approvalExits: ApprovalExits,
  ) {}

  /**
   * Makes the move or refuses with 409: STATE_CHANGED when someone else moved the item first (the web app
   * shows the new state), NOT_ALLOWED_IN_STATE or ITEM_WITHDRAWN when the item's state never allowed it.
   * `expected` is the state the caller saw; a different one now means a concurrent change.
   */
  async move(testimonyId: string, request: MoveRequest & { expected?: TestimonyStatus }, em?: EntityManager): Promise<MoveResult> {
    return this.within(em, async (tx) => {
      const current = await lockItem(tx, testimonyId);
      if (!current) throw AppError.notFound('The testimony');
      if (request.expected && current.status !== request.expected) throw stateChanged(current.status);
      if (current.status === TestimonyStatus.Withdrawn) throw withdrawn();
      if (!canMove(request.move, current.status)) {
        throw AppError.conflict(ErrorCode.NotAllowedInState, `This cannot be done while the item is ${current.status.replace(/_/g, ' ')}.`, {
          status: current.status,
          action: request.move,
        });
      }
      if (request.generation !== undefined && current.processingGeneration !== request.generation) throw stateChanged(current.status);
      return this.apply(tx, current, request);
    });
  }

  /**
   * The same move for the system's own work (a job, a sweep): when the item has moved on, been deleted or
   * superseded, it answers null and changes nothing, since there is nobody to tell.
   */
  async tryMove(testimonyId: string, request: MoveRequest, em?: EntityManager): Promise<MoveResult | null> {
    return this.within(em, async (tx) => {
      const current = await lockItem(tx, testimonyId);
      if (!current || !canMove(request.move, current.status)) return null;
      if (request.generation !== undefined && current.processingGeneration !== request.generation) return null;
      return this.apply(tx, current, request);
    });
  }

  /** Records the creation of an item in the transaction that inserts it. */
  async created(testimony: Pick<Testimony, 'id' | 'status' | 'kind'>, actor: LifecycleActor, em: EntityManager, details: Record<string, unknown> = {}): Promise<void> {
    await this.audit.record({ actor, action: 'testimony.uploaded', target: { type: 'testimony', id: testimony.id }, details: { status: testimony.status, kind: testimony.kind, ...details } }, em);
  }

  private async apply(tx: EntityManager, current: Testimony, request: MoveRequest): Promise<MoveResult> {
    const to = targetOf(request.move, request.to);
    if (!to) throw new Error(`${request.move} needs an end state, and ${request.to ?? 'none'} is not one of its ends`);
    await tx.update(Testimony, { id: current.id }, { ...request.set, status: to });
    if (current.status === TestimonyStatus.Approved && to !== TestimonyStatus.Approved && to !== TestimonyStatus.Withdrawn) await this.approvalExits.left(tx, current.id);
    await this.audit.record(
      {
        actor: request.actor,
        action: request.move,
        target: { type: 'testimony', id: current.id },
        details: { from: current.status, to, ...request.details },
        context: request.context,
      },
      tx,
    );
    return { testimony: { ...current, ...request.set, status: to }, from: current.status };
  }


  private within<T>(em: EntityManager | undefined, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return em ? work(em) : this.db.transaction(work);
  }
}

/**
 * Locks an item for a transaction that changes it or what hangs on it. Transactions lock in one order,
 * the item, then its consents, then its publications, so two of them never wait on each other; 'read'
 * is for one that only needs the item to stay as it is.
 */
export function lockItem(em: EntityManager, id: string, mode: 'write' | 'read' = 'write'): Promise<Testimony | null> {
  return em.getRepository(Testimony).findOne({ where: { id }, lock: { mode: mode === 'write' ? 'pessimistic_write' : 'pessimistic_read' } });
}

export function stateChanged(status: TestimonyStatus): AppError {
  return AppError.conflict(ErrorCode.StateChanged, `Someone changed this item just now: it is ${status.replace(/_/g, ' ')}. Reload it to see what changed.`, {
    status,
  });
}

export function withdrawn(): AppError {
  return AppError.conflict(
    ErrorCode.ItemWithdrawn,
    'Consent for this item was withdrawn. It can no longer be reviewed, changed or published.',
    { status: TestimonyStatus.Withdrawn },
  );
}

import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { Locked, whileLocked } from '../../../common/db/advisory-lock';
import { AuditService } from '../../audit/audit.service';
import { ConsentService } from '../../consent/consent.service';
import { StepState, Withdrawal, WithdrawalStep, WithdrawalStepName } from '../../consent/withdrawal.entity';
import { Decision, DecisionKind } from '../../review/decision.entity';
import { lockItem } from '../../testimonies/testimony-lifecycle.service';
import { Testimony } from '../../testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../../testimonies/testimony-status';
import { GraphError } from '../graph/graph-error';
import { AttemptOutcome, AttemptStep, PublicationAttempt } from '../publication-attempt.entity';
import { Publication, PublicationState, postText } from '../publication.entity';

export type Claim = { publication: Publication } | { refused: 'stale' | 'cancelled' | 'consent' };

/**
 * The worker's writes on a publication. Each is one statement or one short transaction, committed before
 * the next call to Meta: a worker killed at any point leaves a row that says what was done and what was
 * about to be done.
 */
@Injectable()
export class PublicationStore {
  constructor(
    private readonly db: DataSource,
    private readonly consent: ConsentService,
    private readonly audit: AuditService,
  ) {}

  find(id: string): Promise<Publication | null> {
    return this.db.getRepository(Publication).findOneBy({ id });
  }

  /**
   * Runs `work` as the only run on this publication anywhere (publish or takedown), or answers
   * `{ ran: false }` while another holds it. A run that finds the row `publishing` takes it for a dead
   * worker's: without this, a second job of the same publication (the Reconcile button, a Page
   * reconnect, a job whose Redis lock lapsed) would look on the Page mid-call, find nothing, and send again.
   */
  alone<T>(id: string, work: () => Promise<T>): Promise<Locked<T>> {
    return whileLocked(this.db, `publication:${id}`, work);
  }

  /** Which of these Page post ids publications other than `id` have recorded as theirs. */
  async postsOfOthers(id: string, postIds: string[]): Promise<Set<string>> {
    if (postIds.length === 0) return new Set();
    const rows = await this.db.getRepository(Publication).find({ where: { postId: In(postIds), id: Not(id) }, select: { postId: true } });
    return new Set(rows.map((r) => r.postId!));
  }

  /**
   * Records that the photo's create call is about to be sent, unless another photo publication with the
   * same words has one out whose post is not yet known. A lost answer is found by its words on the Page;
   * with two such answers lost at once, each look would see both posts and could take the other's, and a
   * withdrawal of one item would then delete the other's post and leave its own. Checked and recorded
   * under a lock on the words, so two sends cannot both pass. False: send later.
   */
  async startPhotoCreate(p: Publication): Promise<boolean> {
    const text = postText(p);
    const run = await whileLocked(this.db, `photo-words:${text}`, async () => {
      const pending = await this.db.getRepository(Publication).find({
        where: { kind: MediaKind.Photo, state: In([PublicationState.Publishing, PublicationState.Unknown]), postId: IsNull(), createStartedAt: Not(IsNull()), id: Not(p.id) },
        select: { id: true, messageKm: true, messageEn: true },
      });
      if (pending.some((other) => postText(other) === text)) return false;
      await this.db.getRepository(Publication).update(p.id, { createStartedAt: new Date() });
      return true;
    });
    return run.ran && run.value;
  }

  /**
   * Why a publication must stop before anything more of it goes out, if it must: a takedown was asked
   * for (a withdrawal), or since the claim the item lost the approval it was scheduled from (sent back to
   * review, approved again with other pins).
   */
  async stopReason(p: Publication): Promise<'withdrawn' | 'not_approved' | null> {
    const row = await this.db.getRepository(Publication).findOne({ where: { id: p.id }, select: { id: true, takedownRequestedAt: true } });
    if (row?.takedownRequestedAt) return 'withdrawn';
    const item = await this.db.getRepository(Testimony).findOne({ where: { id: p.testimonyId }, select: { id: true, status: true } });
    if (item?.status !== TestimonyStatus.Approved) return 'not_approved';
    const latest = await this.db.getRepository(Decision).findOne({ where: { testimonyId: p.testimonyId, kind: DecisionKind.Approved }, order: { createdAt: 'DESC' }, select: { id: true } });
    return latest?.id === p.decisionId ? null : 'not_approved';
  }

  /**
   * Takes a due publication for sending, checking again under the item's lock what may have changed since
   * it was scheduled: the item left approval (withdrawn, sent back to review) or a consent expired.
   */
  async claim(id: string, version: number): Promise<Claim> {
    return this.db.transaction(async (em) => {
      const ref = await em.getRepository(Publication).findOne({ where: { id }, select: { id: true, testimonyId: true } });
      if (!ref) return { refused: 'stale' };
      const item = await lockItem(em, ref.testimonyId, 'read');
      const p = await em.getRepository(Publication).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!p || p.version !== version || p.state !== PublicationState.Scheduled) return { refused: 'stale' };
      if (item?.status !== TestimonyStatus.Approved) {
        await em.getRepository(Publication).update(id, { state: PublicationState.Cancelled, version: p.version + 1, errorKind: 'not_approved', errorMessage: `The item is ${item?.status ?? 'gone'}, no longer approved.` });
        return { refused: 'cancelled' };
      }
      const { gaps } = await this.consent.pageGaps(p.testimonyId, em);
      if (gaps.length > 0) {
        await em.getRepository(Publication).update(id, { state: PublicationState.Failed, errorKind: 'consent', errorMessage: gaps.map((g) => g.message).join(' ') });
        await this.audit.record({ actor: null, action: 'publication.failed', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: id, reason: 'consent', gaps: gaps.map((g) => g.kind) } }, em);
        return { refused: 'consent' };
      }
      await em.getRepository(Publication).update(id, { state: PublicationState.Publishing });
      return { publication: { ...p, state: PublicationState.Publishing } };
    });
  }

  async update(id: string, patch: Partial<Publication>): Promise<void> {
    await this.db.getRepository(Publication).update(id, patch);
  }

  /** Written before a call that changes the Page; settled after. */
  async begin(publicationId: string, step: AttemptStep, detail: Record<string, unknown> = {}): Promise<string> {
    const row = await this.db.getRepository(PublicationAttempt).save({ publicationId, step, detail });
    return row.id;
  }

  async settle(attemptId: string, outcome: AttemptOutcome, detail: Record<string, unknown> = {}): Promise<void> {
    await this.db
      .createQueryBuilder()
      .update(PublicationAttempt)
      .set({ outcome, finishedAt: new Date(), detail: () => `detail || :extra::jsonb` })
      .setParameter('extra', JSON.stringify(detail))
      .where('id = :attemptId', { attemptId })
      .execute();
  }

  async published(p: Publication, patch: Partial<Publication>): Promise<void> {
    await this.db.transaction(async (em) => {
      // The patch last: a public video whose caption file was refused says so.
      await em.getRepository(Publication).update(p.id, { state: PublicationState.Published, errorKind: null, errorCode: null, errorSubcode: null, errorMessage: null, errorUserMessage: null, ...patch });
      await this.audit.record({ actor: null, action: 'publication.published', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: p.id, postId: patch.postId ?? p.postId, videoId: p.videoId } }, em);
    });
  }

  /** A refusal Meta will repeat: kept in Meta's words for the editor, who can retry after fixing it. */
  async failed(p: Publication, error: GraphError | { kind: string; message: string }, patch: Partial<Publication> = {}): Promise<void> {
    const meta = error instanceof GraphError ? error : undefined;
    await this.db.transaction(async (em) => {
      await em.getRepository(Publication).update(p.id, {
        ...patch,
        state: PublicationState.Failed,
        errorKind: error.kind,
        errorCode: meta?.code ?? null,
        errorSubcode: meta?.subcode ?? null,
        errorMessage: error.message.slice(0, 2000),
        errorUserMessage: meta?.userMessage ?? meta?.userTitle ?? null,
      });
      await this.audit.record({ actor: null, action: 'publication.failed', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: p.id, kind: error.kind, code: meta?.code ?? null, subcode: meta?.subcode ?? null } }, em);
    });
  }

  /** Marks a takedown done and, when it was the item's last, the withdrawal's "taken down from the Page" step. */
  async takenDown(p: Publication, removed: string[]): Promise<void> {
    await this.db.transaction(async (em) => {
      const state = p.state === PublicationState.Cancelled ? PublicationState.Cancelled : PublicationState.TakenDown;
      await em.getRepository(Publication).update(p.id, { state, takenDownAt: new Date() });
      await this.audit.record({ actor: null, action: 'publication.taken_down', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: p.id, removed } }, em);
      const open = await em
        .getRepository(Publication)
        .createQueryBuilder('p')
        .where('p.testimonyId = :testimonyId AND p.takedownRequestedAt IS NOT NULL AND p.takenDownAt IS NULL AND p.id <> :id', { testimonyId: p.testimonyId, id: p.id })
        .getCount();
      if (open > 0) return;
      const withdrawal = await em.getRepository(Withdrawal).findOne({ where: { testimonyId: p.testimonyId }, order: { createdAt: 'ASC' } });
      if (!withdrawal) return;
      await em
        .getRepository(WithdrawalStep)
        .update({ withdrawalId: withdrawal.id, step: WithdrawalStepName.PageTakedown, state: StepState.Pending }, { state: StepState.Done, doneAt: new Date() });
    });
  }
}

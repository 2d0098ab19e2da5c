import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { TestimoniesService } from '../testimonies/testimonies.service';
import { lockItem, TestimonyLifecycle } from '../testimonies/testimony-lifecycle.service';
import { alreadyWithdrawn } from './consent.service';
import { ConsentRecord } from './consent-record.entity';
import { WithdrawalDto, WithdrawalInputDto } from './dto/consent.dto';
import { StepOutcome, WithdrawalEffects } from './withdrawal-effects';
import { StepState, Withdrawal, WithdrawalChannel, WithdrawalStep, WithdrawalStepName } from './withdrawal.entity';

const DAY_MS = 24 * 3600 * 1000;
const FINISHED = new Set<string>([StepState.Done, StepState.NotNeeded, StepState.Skipped]);

/**
 * A person's withdrawn consent, carried out at once and step by step. Everything that can be done in the
 * database is done in the one transaction that records it: the item leaves review and approval, and no
 * link to its media is signed for anyone but admins from that moment. The steps that wait on something
 * else (the Page, the grace period before deleting media) stay pending until done, and the item shows them.
 */
@Injectable()
export class WithdrawalsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Withdrawal) private readonly withdrawals: Repository<Withdrawal>,
    private readonly db: DataSource,
    private readonly testimonies: TestimoniesService,
    private readonly lifecycle: TestimonyLifecycle,
    private readonly audit: AuditService,
    private readonly effects: WithdrawalEffects,
  ) {}

  /**
   * Records a withdrawal, for one person's consent or for the whole item. A second person withdrawing from
   * an item already withdrawn is recorded on their consent and joins the first withdrawal's steps.
   */
  async withdraw(actor: AuthUser, testimonyId: string, consentId: string | null, input: WithdrawalInputDto, context: RequestContext): Promise<WithdrawalDto[]> {
    await this.testimonies.get(actor, testimonyId);
    const receivedVia = input.receivedVia as WithdrawalChannel;
    const afterCommit: (() => Promise<void>)[] = [];
    await this.db.transaction(async (em) => {
      // The item first (see lockItem): a withdrawal must never be the transaction PostgreSQL aborts as a
      // deadlock. It also makes two people's withdrawals of one item at once join, not collide.
      await lockItem(em, testimonyId);
      const consent = consentId ? await em.getRepository(ConsentRecord).findOne({ where: { id: consentId, testimonyId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (consentId && !consent) throw AppError.notFound('The consent record');
      if (consent?.withdrawnAt) throw alreadyWithdrawn();

      const earlier = await em.getRepository(Withdrawal).findOne({ where: { testimonyId }, order: { createdAt: 'ASC' } });
      let withdrawalId = earlier?.id;
      if (!earlier) {
        const moved = await this.lifecycle.move(testimonyId, { move: 'testimony.withdrawn', actor, context, details: { consentId, receivedVia } }, em);
        const created = await em.getRepository(Withdrawal).save(
          em.getRepository(Withdrawal).create({
            testimonyId,
            receivedOn: input.receivedOn.slice(0, 10),
            receivedVia,
            note: input.note ?? '',
            recordedById: actor.id,
            mediaPurgeDueAt: new Date(Date.now() + this.config.consent.withdrawalGraceDays * DAY_MS),
          }),
        );
        const newId = created.id;
        withdrawalId = newId;
        const now = new Date();
        // Until an effect says otherwise (publishing does), nothing was scheduled and nothing is on the Page.
        const steps: Record<WithdrawalStepName, StepOutcome> = {
          [WithdrawalStepName.LeftReview]: { state: StepState.Done, detail: { from: moved.from } },
          [WithdrawalStepName.LinksStopped]: { state: StepState.Done, detail: {} },
          [WithdrawalStepName.SchedulesCancelled]: { state: StepState.NotNeeded, detail: { cancelled: 0 } },
          [WithdrawalStepName.PageTakedown]: { state: StepState.NotNeeded, detail: { posts: 0 } },
          [WithdrawalStepName.MediaDeleted]: { state: StepState.Pending, detail: {} },
        };
        for (const effect of this.effects.all()) {
          const outcome = await effect.apply(em, testimonyId);
          Object.assign(steps, outcome.steps);
          if (outcome.afterCommit) afterCommit.push(outcome.afterCommit);
        }
        await em.getRepository(WithdrawalStep).save(
          Object.entries(steps).map(([step, { state, detail }]) => em.getRepository(WithdrawalStep).create({ withdrawalId: newId, step: step as WithdrawalStepName, state, detail, doneAt: state === StepState.Pending ? null : now })),
        );
      }
      if (consent) {
        await em.getRepository(ConsentRecord).update(consent.id, { withdrawnAt: new Date(), withdrawalId });
      }
      await this.audit.record(
        {
          actor,
          action: 'consent.withdrawn',
          target: { type: 'testimony', id: testimonyId },
          details: { consentId, withdrawalId, receivedOn: input.receivedOn.slice(0, 10), receivedVia, joinedEarlier: Boolean(earlier) },
          context,
        },
        em,
      );
    });
    for (const run of afterCommit) await run();
    return this.list(actor, testimonyId);
  }

  async list(viewer: AuthUser, testimonyId: string): Promise<WithdrawalDto[]> {
    await this.testimonies.get(viewer, testimonyId);
    const rows = await this.withdrawals.find({ where: { testimonyId }, relations: { steps: true, recordedBy: true }, order: { createdAt: 'ASC' } });
    return rows.map(toDto);
  }

  /** An admin keeps a withdrawn item's media for the record (a complaint, a legal case); links stay admin-only. */
  async keepMedia(admin: AuthUser, withdrawalId: string, reason: string, context: RequestContext): Promise<WithdrawalDto> {
    await this.db.transaction(async (em) => {
      const row = await em.getRepository(Withdrawal).findOne({ where: { id: withdrawalId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw AppError.notFound('The withdrawal');
      await em.getRepository(Withdrawal).update(withdrawalId, { mediaKeptById: admin.id, mediaKeptReason: reason });
      await em.getRepository(WithdrawalStep).update(
        { withdrawalId, step: WithdrawalStepName.MediaDeleted, state: StepState.Pending },
        { state: StepState.Skipped, doneAt: new Date(), detail: { keptBy: admin.username } },
      );
      await this.audit.record({ actor: admin, action: 'withdrawal.media_kept', target: { type: 'testimony', id: row.testimonyId ?? withdrawalId }, details: { withdrawalId, reason }, context }, em);
    });
    const row = await this.withdrawals.findOneOrFail({ where: { id: withdrawalId }, relations: { steps: true, recordedBy: true } });
    return toDto(row);
  }

  /** Items whose every withdrawal step is finished; the rest still show their pending steps. */
  static isComplete(steps: Pick<WithdrawalStep, 'state'>[]): boolean {
    return steps.every((s) => FINISHED.has(s.state));
  }
}

const STEP_ORDER = Object.values(WithdrawalStepName);

function toDto(w: Withdrawal): WithdrawalDto {
  const steps = [...w.steps].sort((a, b) => STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step));
  return {
    id: w.id,
    receivedOn: w.receivedOn,
    receivedVia: w.receivedVia,
    note: w.note,
    recordedBy: w.recordedBy?.displayName ?? null,
    createdAt: w.createdAt.toISOString(),
    mediaPurgeDueAt: w.mediaPurgeDueAt.toISOString(),
    mediaKeptReason: w.mediaKeptReason,
    complete: WithdrawalsService.isComplete(steps),
    steps: steps.map((s) => ({ step: s.step, state: s.state, doneAt: s.doneAt?.toISOString() ?? null, detail: s.detail })),
  };
}

import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { ConsentService } from '../consent/consent.service';
import { consentMissing } from '../consent/consent-rules';
import { JobName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { Decision, DecisionKind } from '../review/decision.entity';
import { lockItem, withdrawn } from '../testimonies/testimony-lifecycle.service';
import { TestimoniesService } from '../testimonies/testimonies.service';
import { Testimony } from '../testimonies/testimony.entity';
import { TestimonyStatus } from '../testimonies/testimony-status';
import { PublicationDto, PublicationQueryDto, RescheduleInputDto, ScheduleInputDto } from './dto/publication.dto';
import { Scheduling } from './facebook-page.entity';
import { PageConnectionService } from './page-connection.service';
import { heldByMeta, Publication, PublicationState } from './publication.entity';
import { publishJobId, takeDownJobOptions } from './publishing.job';
import { checkScheduleTime } from './schedule-window';

const UNIQUE_VIOLATION = '23505';

/**
 * What editors do with publications: schedule an approved item, move it, cancel it, publish it now,
 * retry a failure, or ask for a lost answer to be looked up. Each change bumps the version, so the job
 * of an earlier version does nothing; the row is the truth, the job only says "look now".
 */
@Injectable()
export class PublicationsService {
  private readonly logger = new Logger(PublicationsService.name);

  constructor(
    private readonly db: DataSource,
    private readonly pages: PageConnectionService,
    private readonly consent: ConsentService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly testimonies: TestimoniesService,
  ) {}

  async list(query: PublicationQueryDto): Promise<PublicationDto[]> {
    const qb = this.db.getRepository(Publication).createQueryBuilder('p').innerJoinAndSelect('p.testimony', 't').orderBy('p.scheduledAt', 'ASC').limit(1000);
    if (query.from) qb.andWhere('p.scheduledAt >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('p.scheduledAt < :to', { to: new Date(query.to) });
    if (query.state) qb.andWhere('p.state = :state', { state: query.state });
    if (query.testimonyId) qb.andWhere('p.testimonyId = :testimonyId', { testimonyId: query.testimonyId });
    return (await qb.getMany()).map((p) => PublicationDto.from(p, p.testimony.title));
  }

  /** The educator's own item's publications, for the link to their post. */
  async forItem(viewer: AuthUser, testimonyId: string): Promise<PublicationDto[]> {
    await this.testimonies.get(viewer, testimonyId);
    const rows = await this.db
      .getRepository(Publication)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.testimony', 't')
      .where('p.testimonyId = :testimonyId', { testimonyId })
      .orderBy('p.createdAt', 'DESC')
      .getMany();
    return rows.map((p) => PublicationDto.from(p, p.testimony.title));
  }

  async schedule(actor: AuthUser, input: ScheduleInputDto, context: RequestContext): Promise<PublicationDto> {
    const now = new Date();
    if (!input.publishNow && !input.at) throw AppError.badRequest(ErrorCode.ValidationFailed, 'Choose a time, or publish now.');
    const at = input.publishNow ? now : new Date(input.at!);
    if (!input.publishNow) checkScheduleTime(at, now);
    const page = await this.pages.current();
    if (!page) throw AppError.conflict(ErrorCode.PageNotConnected, 'No Facebook Page is connected. Ask an admin to connect the campaign’s Page.');

    const saved = await this.db.transaction(async (em) => {
      const item = await em.getRepository(Testimony).findOne({ where: { id: input.testimonyId }, lock: { mode: 'pessimistic_write' } });
      if (!item) throw AppError.notFound('The testimony');
      if (item.status === TestimonyStatus.Withdrawn) throw withdrawn();
      if (item.status !== TestimonyStatus.Approved) {
        throw AppError.conflict(ErrorCode.NotAllowedInState, 'Only an approved item can be scheduled. An editor must approve it first.', { status: item.status });
      }
      const { gaps } = await this.consent.pageGaps(item.id, em);
      if (gaps.length > 0) throw consentMissing(gaps);
      const approval = await em.getRepository(Decision).findOne({ where: { testimonyId: item.id, kind: DecisionKind.Approved }, order: { createdAt: 'DESC' } });
      if (!approval?.pinned) throw AppError.conflict(ErrorCode.NotAllowedInState, 'This item has no approval to publish. An editor must approve it again.', { status: item.status });
      try {
        const row = await em.getRepository(Publication).save(
          em.getRepository(Publication).create({
            testimonyId: item.id,
            pageRef: page.id,
            decisionId: approval.id,
            kind: item.kind,
            state: PublicationState.Scheduled,
            scheduledAt: at,
            messageKm: input.messageKm,
            messageEn: input.messageEn ?? '',
            pinned: approval.pinned,
            createdById: actor.id,
          }),
        );
        await this.audit.record(
          { actor, action: input.publishNow ? 'publication.publish_now' : 'publication.scheduled', target: { type: 'testimony', id: item.id }, details: { publicationId: row.id, at: at.toISOString() }, context },
          em,
        );
        return row;
      } catch (error) {
        if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
          const live = await this.db.getRepository(Publication).findOne({ where: { testimonyId: item.id }, order: { createdAt: 'DESC' } });
          throw AppError.conflict(ErrorCode.AlreadyScheduled, 'This item is already scheduled or on the Page. Change that publication instead.', { publicationId: live?.id ?? null });
        }
        throw error;
      }
    });
    await this.queue(saved, page.scheduling);
    return this.one(saved.id);
  }

  async reschedule(actor: AuthUser, id: string, input: RescheduleInputDto, context: RequestContext): Promise<PublicationDto> {
    const at = new Date(input.at);
    checkScheduleTime(at);
    const saved = await this.change(id, input.expectedVersion, async (p, em) => {
      if (p.state !== PublicationState.Scheduled) throw notNow(p);
      if (p.handedToFacebook) {
        throw AppError.conflict(ErrorCode.HandedToFacebook, 'Facebook already holds this scheduled post. Cancel it and schedule the item again to change its time.');
      }
      await em.getRepository(Publication).update(p.id, { scheduledAt: at, version: p.version + 1 });
      await this.audit.record({ actor, action: 'publication.rescheduled', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: p.id, from: p.scheduledAt.toISOString(), to: at.toISOString() }, context }, em);
    });
    await this.queue(saved, Scheduling.Worker);
    return this.one(id);
  }

  async publishNow(actor: AuthUser, id: string, context: RequestContext): Promise<PublicationDto> {
    const saved = await this.change(id, undefined, async (p, em) => {
      if (p.state !== PublicationState.Scheduled || p.handedToFacebook) throw notNow(p);
      await em.getRepository(Publication).update(p.id, { scheduledAt: new Date(), version: p.version + 1 });
      await this.audit.record({ actor, action: 'publication.publish_now', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: p.id }, context }, em);
    });
    await this.queue(saved, Scheduling.Worker);
    return this.one(id);
  }

  /**
   * Cancels a scheduled publication. One Facebook already holds is deleted there too (the takedown job
   * retries until Facebook confirms), so nothing cancelled here can still appear on the Page.
   */
  async cancel(actor: AuthUser, id: string, context: RequestContext): Promise<PublicationDto> {
    const saved = await this.change(id, undefined, async (p, em) => {
      if (p.state !== PublicationState.Scheduled) throw notNow(p);
      // A post Facebook holds, or an upload paused half-way, is deleted there.
      const onFacebook = heldByMeta(p);
      await em.getRepository(Publication).update(p.id, {
        state: PublicationState.Cancelled,
        version: p.version + 1,
        takedownRequestedAt: onFacebook ? new Date() : null,
      });
      await this.audit.record({ actor, action: 'publication.cancelled', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: p.id, onFacebook }, context }, em);
    });
    if (saved.takedownRequestedAt) await this.enqueueTakeDown(saved.id);
    return this.one(id);
  }

  /** A failed publication is scheduled again at once, with the same pinned media and text. */
  async retry(actor: AuthUser, id: string, context: RequestContext): Promise<PublicationDto> {
    const saved = await this.change(id, undefined, async (p, em) => {
      if (p.state !== PublicationState.Failed) throw notNow(p);
      const { gaps } = await this.consent.pageGaps(p.testimonyId, em);
      if (gaps.length > 0) throw consentMissing(gaps);
      await em.getRepository(Publication).update(p.id, {
        state: PublicationState.Scheduled,
        scheduledAt: new Date(),
        version: p.version + 1,
        errorKind: null,
        errorCode: null,
        errorSubcode: null,
        errorMessage: null,
        errorUserMessage: null,
      });
      await this.audit.record({ actor, action: 'publication.retried', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: p.id }, context }, em);
    });
    await this.queue(saved, Scheduling.Worker);
    return this.one(id);
  }

  /** Asks the worker to look on the Page for a publication whose answer was lost, before anything is sent again. */
  async reconcileNow(id: string): Promise<PublicationDto> {
    const p = await this.db.getRepository(Publication).findOneBy({ id });
    if (!p) throw AppError.notFound('The publication');
    if (p.state !== PublicationState.Unknown && p.state !== PublicationState.Publishing) throw notNow(p);
    await this.jobs.enqueue(JobName.PublishPublication, { publicationId: p.id, version: p.version }, { jobId: publishJobId(p.id, p.version, Date.now()) });
    return this.one(id);
  }

  /** An editor takes a post down from the Page (a withdrawal does it for every post of the item). */
  async takeDown(actor: AuthUser, id: string, context: RequestContext): Promise<PublicationDto> {
    await this.change(id, undefined, async (p, em) => {
      if (p.state !== PublicationState.Published && p.state !== PublicationState.Unknown) throw notNow(p);
      await em.getRepository(Publication).update(p.id, { takedownRequestedAt: p.takedownRequestedAt ?? new Date() });
      await this.audit.record({ actor, action: 'publication.take_down_requested', target: { type: 'testimony', id: p.testimonyId }, details: { publicationId: p.id }, context }, em);
    });
    await this.enqueueTakeDown(id);
    return this.one(id);
  }

  /**
   * After an admin connects the Page again, publications that waited for it go out now rather than at
   * their next check, and takedowns that waited for it run now rather than after their backoff. Each
   * send gets a job of its own round; a run that finds nothing to do (or another run busy) is harmless.
   */
  async resumeWaiting(): Promise<number> {
    const takedowns = await this.db.getRepository(Publication).createQueryBuilder('p').where('p.takedownRequestedAt IS NOT NULL AND p.takenDownAt IS NULL').getMany();
    for (const p of takedowns) {
      await this.jobs
        .runNow(JobName.TakeDownPublication, { publicationId: p.id }, takeDownJobOptions(p.id))
        .catch((error: Error) => this.logger.warn(`Takedown of ${p.id} waits for its retry or the reconciler: ${error.message}`));
    }
    const waiting = await this.db
      .getRepository(Publication)
      .createQueryBuilder('p')
      .where('(p.state = :scheduled AND p.scheduledAt <= now()) OR p.state IN (:...inFlight)', { scheduled: PublicationState.Scheduled, inFlight: [PublicationState.Publishing, PublicationState.Unknown] })
      .getMany();
    for (const p of waiting) {
      await this.jobs
        .enqueue(JobName.PublishPublication, { publicationId: p.id, version: p.version }, { jobId: publishJobId(p.id, p.version, Date.now()) })
        .catch((error: Error) => this.logger.warn(`Publication ${p.id} waits for the reconciler: ${error.message}`));
    }
    return waiting.length;
  }

  /** Adds the publish job; when Redis refuses, the reconciler adds it from the row later, so the schedule stands. */
  private async queue(p: Publication, scheduling: Scheduling): Promise<void> {
    const delay = scheduling === Scheduling.Facebook ? 0 : Math.max(0, p.scheduledAt.getTime() - Date.now());
    await this.jobs
      .enqueue(JobName.PublishPublication, { publicationId: p.id, version: p.version }, { jobId: publishJobId(p.id, p.version), delay })
      .catch((error: Error) => this.logger.warn(`Publication ${p.id} is saved; its job will be added when the queue answers: ${error.message}`));
  }

  private async enqueueTakeDown(id: string): Promise<void> {
    await this.jobs
      .runNow(JobName.TakeDownPublication, { publicationId: id }, takeDownJobOptions(id))
      .catch((error: Error) => this.logger.warn(`Takedown of ${id} is recorded; its job will be added when the queue answers: ${error.message}`));
  }

  private async change(id: string, expectedVersion: number | undefined, work: (p: Publication, em: EntityManager) => Promise<void>): Promise<Publication> {
    return this.db.transaction(async (em) => {
      const ref = await em.getRepository(Publication).findOne({ where: { id }, select: { id: true, testimonyId: true } });
      if (!ref) throw AppError.notFound('The publication');
      await lockItem(em, ref.testimonyId, 'read');
      const p = await em.getRepository(Publication).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!p) throw AppError.notFound('The publication');
      if (expectedVersion !== undefined && p.version !== expectedVersion) throw stateChangedPublication(p);
      await work(p, em);
      return em.getRepository(Publication).findOneByOrFail({ id });
    });
  }

  private async one(id: string): Promise<PublicationDto> {
    const p = await this.db.getRepository(Publication).findOneOrFail({ where: { id }, relations: { testimony: true } });
    return PublicationDto.from(p, p.testimony.title);
  }
}

function notNow(p: Publication): AppError {
  return AppError.conflict(ErrorCode.NotAllowedInState, `This cannot be done while the publication is ${p.state.replace(/_/g, ' ')}.`, { status: p.state });
}

function stateChangedPublication(p: Publication): AppError {
  return AppError.conflict(ErrorCode.StateChanged, 'Someone changed this publication just now. Reload to see its new time and state.', { status: p.state, version: p.version });
}

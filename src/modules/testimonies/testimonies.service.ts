import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { processTestimonyJobId } from '../processing/process-testimony.job';
import { JobName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { storageKeys } from '../storage/storage-keys';
import { StorageService } from '../storage/storage.service';
import { Role } from '../users/role';
import { PlacesService } from '../places/places.service';
import { Decision } from '../review/decision.entity';
import { LatestDecisionDto, TestimonyDto, TestimonyPageDto, TestimonySummaryDto } from './dto/testimony.dto';
import { TestimonyQueryDto } from './dto/testimony-query.dto';
import { TestimonyRenditions } from './testimony-renditions';
import { Testimony } from './testimony.entity';
import { TestimonyLifecycle } from './testimony-lifecycle.service';
import { isBeforeApproval, TestimonyStatus } from './testimony-status';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600 * 1000;

/** A date alone covers that whole day (UTC): `to=2026-03-01` includes everything created on 1 March. */
function createdRange(from?: string, to?: string): { from?: Date; before?: Date } {
  return {
    from: from ? new Date(DATE_ONLY.test(from) ? `${from}T00:00:00Z` : from) : undefined,
    before: to ? new Date(DATE_ONLY.test(to) ? Date.parse(`${to}T00:00:00Z`) + DAY_MS : Date.parse(to) + 1) : undefined,
  };
}

/** A withdrawn item's media is linked for admins only: the person asked for it to be gone. */
function mayLinkMedia(viewer: AuthUser, t: Testimony): boolean {
  return t.status !== TestimonyStatus.Withdrawn || viewer.role === Role.Admin;
}

@Injectable()
export class TestimoniesService {
  private readonly logger = new Logger(TestimoniesService.name);

  constructor(
    @InjectRepository(Testimony) private readonly testimonies: Repository<Testimony>,
    private readonly renditions: TestimonyRenditions,
    private readonly storage: StorageService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly lifecycle: TestimonyLifecycle,
    @InjectRepository(Decision) private readonly decisions: Repository<Decision>,
    private readonly places: PlacesService,
  ) {}

  /**
   * Every read goes through here, so the rule "educators see only their own items" lives in one place.
   * Editors, leads and admins see all.
   */
  private visibleTo(viewer: AuthUser): SelectQueryBuilder<Testimony> {
    const qb = this.testimonies
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.commune', 'c')
      .innerJoinAndSelect('c.province', 'p')
      .innerJoinAndSelect('t.educator', 'e');
    if (viewer.role === Role.Educator) qb.andWhere('t.educatorId = :viewerId', { viewerId: viewer.id });
    return qb;
  }

  /** The same rule as visibleTo for lists: the educator's id and name only, the commune joined to filter by province. */
  private listRows(viewer: AuthUser): SelectQueryBuilder<Testimony> {
    const qb = this.testimonies.createQueryBuilder('t').innerJoin('t.commune', 'c').innerJoin('t.educator', 'e').addSelect(['e.id', 'e.displayName']);
    if (viewer.role === Role.Educator) qb.andWhere('t.educatorId = :viewerId', { viewerId: viewer.id });
    return qb;
  }

  /** The list's filters, shared by the page of items and the counts per state. */
  private filtered(viewer: AuthUser, query: Omit<TestimonyQueryDto, 'skip'>, options: { light?: boolean } = {}): SelectQueryBuilder<Testimony> {
    const qb = options.light ? this.listRows(viewer) : this.visibleTo(viewer);
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.communeId) qb.andWhere('t.communeId = :communeId', { communeId: query.communeId });
    if (query.provinceId) qb.andWhere('c.provinceId = :provinceId', { provinceId: query.provinceId });
    if (query.educatorId) qb.andWhere('t.educatorId = :educatorId', { educatorId: query.educatorId });
    if (query.language) qb.andWhere('t.language = :language', { language: query.language });
    const range = createdRange(query.from, query.to);
    if (range.from) qb.andWhere('t.createdAt >= :from', { from: range.from });
    if (range.before) qb.andWhere('t.createdAt < :before', { before: range.before });
    return qb;
  }

  async list(viewer: AuthUser, query: TestimonyQueryDto): Promise<TestimonyPageDto> {
    // The review queue reads oldest first (whoever has waited longest); everyone else sees the newest first.
    const [column, direction] = query.sort === 'oldest' ? (['t.updatedAt', 'ASC'] as const) : (['t.createdAt', 'DESC'] as const);
    // The list every role opens first: only the columns it shows, the count beside the page rather than
    // after it, and communes from memory. Every join is many-to-one, so plain LIMIT/OFFSET pages correctly.
    const page = this.filtered(viewer, query, { light: true }).orderBy(column, direction).addOrderBy('t.id', direction).offset(query.skip).limit(query.pageSize);
    const [rows, total, communes] = await Promise.all([page.getMany(), this.filtered(viewer, query, { light: true }).getCount(), this.places.communesById()]);
    const items = rows.map((t) => ({ ...t, commune: communes.get(t.communeId)! }));
    const [thumbnails, decisions] = await Promise.all([
      this.renditions.thumbnailUrls(items.filter((t) => mayLinkMedia(viewer, t)).map((t) => t.id)),
      this.latestDecisions(items.map((t) => t.id)),
    ]);
    return {
      items: items.map((t) => TestimonySummaryDto.from(t, thumbnails.get(t.id) ?? null, decisions.get(t.id) ?? null)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Counts per state under the same filters as the list, for the review queue's tabs. */
  async counts(viewer: AuthUser, query: TestimonyQueryDto): Promise<Record<string, number>> {
    const rows = await this.filtered(viewer, { ...query, status: undefined }, { light: true })
      .select('t.status', 'status')
      .addSelect('COUNT(*)::int', 'count')
      .groupBy('t.status')
      .getRawMany<{ status: string; count: number }>();
    return Object.fromEntries(rows.map((r) => [r.status, r.count]));
  }

  async detail(viewer: AuthUser, id: string): Promise<TestimonyDto> {
    const testimony = await this.get(viewer, id);
    const [renditions, decisions] = await Promise.all([mayLinkMedia(viewer, testimony) ? this.renditions.list(id) : [], this.latestDecisions([id])]);
    return TestimonyDto.detail(testimony, renditions, decisions.get(id) ?? null);
  }

  /** The last decision on each item: what the educator reads as "changes requested: …" or "rejected: …". */
  private async latestDecisions(ids: string[]): Promise<Map<string, LatestDecisionDto>> {
    if (ids.length === 0) return new Map();
    const rows = await this.decisions
      .createQueryBuilder('d')
      .leftJoinAndSelect('d.decidedBy', 'u')
      .distinctOn(['d.testimony_id'])
      .where('d.testimonyId IN (:...ids)', { ids })
      .orderBy('d.testimony_id')
      .addOrderBy('d.created_at', 'DESC')
      .getMany();
    return new Map(rows.map((d) => [d.testimonyId, { kind: d.kind, note: d.note, decidedBy: d.decidedBy?.displayName ?? null, at: d.createdAt.toISOString() }]));
  }

  /** Someone else's item answers "not found", not "forbidden": an educator cannot probe for ids. */
  async get(viewer: AuthUser, id: string): Promise<Testimony> {
    const testimony = await this.visibleTo(viewer).andWhere('t.id = :id', { id }).getOne();
    if (!testimony) throw AppError.notFound('The testimony');
    return testimony;
  }

  /**
   * Makes the renditions again under a new generation. An item stuck in `processing` may be restarted
   * too: a job still running for it finds itself superseded and stores nothing.
   */
  async reprocess(actor: AuthUser, id: string, context: RequestContext): Promise<TestimonyDto> {
    const before = await this.get(actor, id);
    const generation = before.processingGeneration + 1;
    await this.lifecycle.move(id, {
      move: 'testimony.reprocess_requested',
      actor,
      context,
      expected: before.status,
      generation: before.processingGeneration,
      set: { processingGeneration: generation, progress: 0, failureReason: null, failureCode: null, failureFigures: null },
      details: { generation },
    });
    try {
      await this.jobs.enqueue(JobName.ProcessTestimony, { testimonyId: id, generation }, { jobId: processTestimonyJobId(id, generation) });
    } catch (error) {
      // No job will come: put the item back as it was, so it does not show "processing" forever.
      await this.lifecycle.tryMove(id, {
        move: 'testimony.reprocess_undone',
        actor,
        context,
        to: before.status === TestimonyStatus.Processing ? TestimonyStatus.ProcessingFailed : before.status,
        generation,
        set: { processingGeneration: before.processingGeneration, progress: before.progress, failureReason: before.failureReason, failureCode: before.failureCode, failureFigures: before.failureFigures },
        details: { reason: (error as Error).message },
      });
      throw error;
    }
    return this.detail(actor, id);
  }

  /**
   * Deletes the item and every stored file of it. Files go first: if S3 cannot delete them, the rows stay,
   * so nothing is left in storage that no row points to, and the delete can simply be tried again.
   */
  async remove(actor: AuthUser, id: string, context: RequestContext): Promise<void> {
    const testimony = await this.get(actor, id);
    const ownAndEarly = actor.role === Role.Educator && testimony.educatorId === actor.id && isBeforeApproval(testimony.status);
    if (actor.role !== Role.Admin && !ownAndEarly) {
      throw AppError.forbidden('Educators can delete their own items only until an editor approves them. Ask an admin to delete this one.');
    }
    let objects: number;
    try {
      objects = await this.storage.deletePrefix(storageKeys.testimonyPrefix(id));
    } catch (error) {
      this.logger.warn(`Could not delete the files of testimony ${id}: ${(error as Error).message}`);
      throw AppError.unavailable('File storage (S3)', 'Nothing was deleted; try again in a minute.');
    }
    await this.testimonies.delete(id);
    await this.audit.record({
      actor,
      action: 'testimony.deleted',
      target: { type: 'testimony', id },
      details: { status: testimony.status, kind: testimony.kind, educatorId: testimony.educatorId, objects },
      context,
    });
  }
}

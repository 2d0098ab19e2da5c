import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { AppError, ErrorFigures } from '../../common/errors/app-error';
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
import { LatestDecisionDto, LIST_THUMBNAIL_VARIANT, TestimonyDto, TestimonyPageDto, TestimonySummaryDto } from './dto/testimony.dto';
import { AssetRole } from './asset.entity';
import { TestimonyQueryDto } from './dto/testimony-query.dto';
import { TestimonyRenditions } from './testimony-renditions';
import { Testimony } from './testimony.entity';
import { TestimonyLifecycle } from './testimony-lifecycle.service';
import { ContentLanguage, isBeforeApproval, MediaKind, TestimonyStatus } from './testimony-status';

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
function mayLinkMedia(viewer: AuthUser, status: TestimonyStatus): boolean {
  return status !== TestimonyStatus.Withdrawn || viewer.role === Role.Admin;
}

/** What the list shows of an item, and no more: a description can be long, and the list never shows it. */
const LIST_COLUMNS = [
  'id', 'title', 'kind', 'status', 'language', 'progress', 'failure_reason', 'failure_code', 'failure_figures',
  'placeholder', 'commune_id', 'educator_id', 'created_at', 'updated_at',
].map((c) => `t.${c}`).join(', ');

interface ListRow {
  id: string;
  title: string;
  kind: MediaKind;
  status: TestimonyStatus;
  language: ContentLanguage;
  progress: number;
  failure_reason: string | null;
  failure_code: string | null;
  failure_figures: ErrorFigures | null;
  placeholder: string | null;
  commune_id: string;
  educator_id: string;
  created_at: Date;
  updated_at: Date;
  educator_name: string;
  thumbnail_key: string | null;
  thumbnail_type: string | null;
  decision_kind: string | null;
  decision_note: string | null;
  decided_by_name: string | null;
  decision_at: Date | null;
  total: number;
}

/**
 * The list's filters as SQL over `testimonies t`, shared by the page and the counts. The rule "educators
 * see only their own items" is here for lists, as it is in visibleTo for single items. Every value is a
 * bind parameter; the caller may append its own to `params`.
 */
function listFilter(viewer: AuthUser, query: Omit<TestimonyQueryDto, 'skip'>): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (condition: string, value: unknown): void => {
    conditions.push(condition.replace('?', `$${params.push(value)}`));
  };
  if (viewer.role === Role.Educator) add('t.educator_id = ?', viewer.id);
  if (query.status) add('t.status = ?', query.status);
  if (query.kind) add('t.kind = ?', query.kind);
  if (query.communeId) add('t.commune_id = ?', query.communeId);
  if (query.provinceId) add('t.commune_id IN (SELECT id FROM communes WHERE province_id = ?)', query.provinceId);
  if (query.educatorId) add('t.educator_id = ?', query.educatorId);
  if (query.language) add('t.language = ?', query.language);
  const range = createdRange(query.from, query.to);
  if (range.from) add('t.created_at >= ?', range.from);
  if (range.before) add('t.created_at < ?', range.before);
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
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

  async list(viewer: AuthUser, query: TestimonyQueryDto): Promise<TestimonyPageDto> {
    const filter = listFilter(viewer, query);
    // The review queue reads oldest first (whoever has waited longest); everyone else sees the newest first.
    const [column, direction] = query.sort === 'oldest' ? (['updated_at', 'ASC'] as const) : (['created_at', 'DESC'] as const);
    const param = (value: unknown): string => `$${filter.params.push(value)}`;
    // The list every role opens first, in one statement: each query costs a round trip and a wake-up of a
    // PostgreSQL process, which on two shared cores weighs more than the SQL itself. The page is cut first
    // and only its rows are joined to their educator, thumbnail and last decision; the total rides along
    // as a subquery PostgreSQL runs once. Communes come from memory. Each lateral join is one index lookup
    // per row of the page; LIMIT 1 keeps the planner from folding the thumbnail's into a scan of all assets.
    const rows: ListRow[] = await this.testimonies.query(
      `SELECT p.*, e.display_name AS educator_name, th.storage_key AS thumbnail_key, th.mime_type AS thumbnail_type,
              d.kind AS decision_kind, d.note AS decision_note, d.decided_by_name, d.created_at AS decision_at,
              (SELECT COUNT(*)::int FROM testimonies t ${filter.where}) AS total
         FROM (SELECT ${LIST_COLUMNS} FROM testimonies t ${filter.where}
               ORDER BY t.${column} ${direction}, t.id ${direction} LIMIT ${param(query.pageSize)} OFFSET ${param(query.skip)}) p
         JOIN users e ON e.id = p.educator_id
         LEFT JOIN LATERAL (SELECT storage_key, mime_type FROM assets
                             WHERE testimony_id = p.id AND role = ${param(AssetRole.Thumbnail)} AND variant = ${param(LIST_THUMBNAIL_VARIANT)} LIMIT 1) th ON true
         LEFT JOIN LATERAL (SELECT d.kind, d.note, d.created_at, u.display_name AS decided_by_name
                              FROM testimony_decisions d LEFT JOIN users u ON u.id = d.decided_by
                             WHERE d.testimony_id = p.id ORDER BY d.created_at DESC LIMIT 1) d ON true
        ORDER BY p.${column} ${direction}, p.id ${direction}`,
      filter.params,
    );
    // Past the last page there is no row to carry the total.
    const total = rows[0]?.total ?? (query.skip === 0 ? 0 : await this.count(viewer, query));
    const [communes, thumbnails] = await Promise.all([
      this.places.communesById(),
      Promise.all(rows.map((r) => (r.thumbnail_key && mayLinkMedia(viewer, r.status) ? this.storage.presignGet(r.thumbnail_key, { contentType: r.thumbnail_type! }) : null))),
    ]);
    return {
      items: rows.map((r, i) =>
        TestimonySummaryDto.from(
          {
            id: r.id,
            title: r.title,
            kind: r.kind,
            status: r.status,
            language: r.language,
            progress: r.progress,
            failureReason: r.failure_reason,
            failureCode: r.failure_code,
            failureFigures: r.failure_figures,
            commune: communes.get(r.commune_id)!,
            educator: { id: r.educator_id, displayName: r.educator_name },
            createdAt: r.created_at,
            placeholder: r.placeholder,
            updatedAt: r.updated_at,
          },
          thumbnails[i]?.url ?? null,
          r.decision_kind ? { kind: r.decision_kind, note: r.decision_note!, decidedBy: r.decided_by_name, at: r.decision_at!.toISOString() } : null,
        ),
      ),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  private async count(viewer: AuthUser, query: TestimonyQueryDto): Promise<number> {
    const filter = listFilter(viewer, query);
    const [{ total }] = await this.testimonies.query(`SELECT COUNT(*)::int AS total FROM testimonies t ${filter.where}`, filter.params);
    return total as number;
  }

  /** Counts per state under the same filters as the list, for the review queue's tabs. */
  async counts(viewer: AuthUser, query: TestimonyQueryDto): Promise<Record<string, number>> {
    const filter = listFilter(viewer, { ...query, status: undefined });
    const rows: { status: string; count: number }[] = await this.testimonies.query(
      `SELECT t.status, COUNT(*)::int AS count FROM testimonies t ${filter.where} GROUP BY t.status`,
      filter.params,
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.count]));
  }

  async detail(viewer: AuthUser, id: string): Promise<TestimonyDto> {
    const testimony = await this.get(viewer, id);
    const [renditions, decisions] = await Promise.all([mayLinkMedia(viewer, testimony.status) ? this.renditions.list(id) : [], this.latestDecisions([id])]);
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

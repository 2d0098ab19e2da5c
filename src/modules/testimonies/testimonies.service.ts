import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { processTestimonyJobId } from '../processing/process-testimony.job';
import { JobName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { storageKeys } from '../storage/storage-keys';
import { StorageService } from '../storage/storage.service';
import { Role } from '../users/role';
import { TestimonyDto, TestimonyPageDto, TestimonySummaryDto } from './dto/testimony.dto';
import { TestimonyQueryDto } from './dto/testimony-query.dto';
import { TestimonyRenditions } from './testimony-renditions';
import { Testimony } from './testimony.entity';
import { canTransition, isBeforeApproval, TestimonyStatus } from './testimony-status';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600 * 1000;

/** A date alone covers that whole day (UTC): `to=2026-03-01` includes everything created on 1 March. */
function createdRange(from?: string, to?: string): { from?: Date; before?: Date } {
  return {
    from: from ? new Date(DATE_ONLY.test(from) ? `${from}T00:00:00Z` : from) : undefined,
    before: to ? new Date(DATE_ONLY.test(to) ? Date.parse(`${to}T00:00:00Z`) + DAY_MS : Date.parse(to) + 1) : undefined,
  };
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
    // Every join is many-to-one, so plain LIMIT/OFFSET pages correctly; skip/take would add a DISTINCT pre-query.
    const qb = this.visibleTo(viewer).orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').offset(query.skip).limit(query.pageSize);
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.communeId) qb.andWhere('t.communeId = :communeId', { communeId: query.communeId });
    if (query.provinceId) qb.andWhere('c.provinceId = :provinceId', { provinceId: query.provinceId });
    if (query.educatorId) qb.andWhere('t.educatorId = :educatorId', { educatorId: query.educatorId });
    if (query.language) qb.andWhere('t.language = :language', { language: query.language });
    const range = createdRange(query.from, query.to);
    if (range.from) qb.andWhere('t.createdAt >= :from', { from: range.from });
    if (range.before) qb.andWhere('t.createdAt < :before', { before: range.before });
    const [items, total] = await qb.getManyAndCount();
    const thumbnails = await this.renditions.thumbnailUrls(items.map((t) => t.id));
    return {
      items: items.map((t) => TestimonySummaryDto.from(t, thumbnails.get(t.id) ?? null)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async detail(viewer: AuthUser, id: string): Promise<TestimonyDto> {
    return TestimonyDto.detail(await this.get(viewer, id), await this.renditions.list(id));
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
    if (before.status !== TestimonyStatus.Processing && !canTransition(before.status, TestimonyStatus.Processing)) {
      throw new AppError(ErrorCode.Conflict, `An item that is ${before.status.replace('_', ' ')} cannot be processed again.`, HttpStatus.CONFLICT);
    }
    const generation = before.processingGeneration + 1;
    const bumped = await this.testimonies.update(
      { id, processingGeneration: before.processingGeneration, status: before.status },
      { processingGeneration: generation, status: TestimonyStatus.Processing, progress: 0, failureReason: null },
    );
    if (bumped.affected !== 1) throw new AppError(ErrorCode.Conflict, 'Someone changed this item just now. Reload it and try again.', HttpStatus.CONFLICT);
    try {
      await this.jobs.enqueue(JobName.ProcessTestimony, { testimonyId: id, generation }, { jobId: processTestimonyJobId(id, generation) });
    } catch (error) {
      // No job will come: put the item back as it was, so it does not show "processing" forever.
      await this.testimonies.update(
        { id, processingGeneration: generation },
        { processingGeneration: before.processingGeneration, status: before.status, progress: before.progress, failureReason: before.failureReason },
      );
      throw error;
    }
    await this.audit.record({ actor, action: 'testimony.reprocess', target: { type: 'testimony', id }, details: { generation, from: before.status }, context });
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

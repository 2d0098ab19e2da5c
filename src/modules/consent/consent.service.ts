import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { StorageService } from '../storage/storage.service';
import { Role } from '../users/role';
import { TestimoniesService } from '../testimonies/testimonies.service';
import { lockItem, TestimonyLifecycle, withdrawn } from '../testimonies/testimony-lifecycle.service';
import { Testimony } from '../testimonies/testimony.entity';
import { TestimonyStatus } from '../testimonies/testimony-status';
import { ConsentEvidenceStore } from './consent-evidence.store';
import { ConsentRecord } from './consent-record.entity';
import { campaignToday, checkConsent, ConsentGap, pageConsentGaps } from './consent-rules';
import { ConsentInputDto, ConsentRecordDto, EvidenceLinkDto } from './dto/consent.dto';

/**
 * Consent records of the people shown in a testimony: recorded by the educator who filmed them or by an
 * editor, changed only with an audit row, never deleted. A change to the consent of an approved item
 * sends it back to review, since what was approved may no longer be allowed.
 */
@Injectable()
export class ConsentService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(ConsentRecord) private readonly records: Repository<ConsentRecord>,
    private readonly db: DataSource,
    private readonly testimonies: TestimoniesService,
    private readonly lifecycle: TestimonyLifecycle,
    private readonly audit: AuditService,
    private readonly evidence: ConsentEvidenceStore,
    private readonly storage: StorageService,
  ) {}

  async list(viewer: AuthUser, testimonyId: string): Promise<ConsentRecordDto[]> {
    await this.testimonies.get(viewer, testimonyId);
    const rows = await this.records.find({ where: { testimonyId }, relations: { recordedBy: true }, order: { createdAt: 'ASC' } });
    const today = campaignToday();
    return rows.map((r) => ConsentRecordDto.from(r, today));
  }

  async record(actor: AuthUser, testimonyId: string, input: ConsentInputDto, context: RequestContext): Promise<ConsentRecordDto> {
    const item = await this.writableItem(actor, testimonyId);
    const { validUntil } = checkConsent(input, this.config.consent, campaignToday());
    const id = await this.db.transaction(async (em) => {
      await lockItem(em, testimonyId);
      const saved = await em.getRepository(ConsentRecord).save(em.getRepository(ConsentRecord).create({ ...fields(input), validUntil, testimonyId, recordedById: actor.id }));
      await this.audit.record({ actor, action: 'consent.recorded', target: { type: 'testimony', id: testimonyId }, details: { consentId: saved.id, ...summary(saved) }, context }, em);
      await this.reviewAgainIfApproved(item, actor, context, em, 'consent.recorded');
      return saved.id;
    });
    return this.one(id);
  }

  async update(actor: AuthUser, testimonyId: string, consentId: string, input: ConsentInputDto, context: RequestContext): Promise<ConsentRecordDto> {
    const item = await this.writableItem(actor, testimonyId);
    const { validUntil } = checkConsent(input, this.config.consent, campaignToday());
    await this.db.transaction(async (em) => {
      await lockItem(em, testimonyId);
      const before = await em.getRepository(ConsentRecord).findOne({ where: { id: consentId, testimonyId }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw AppError.notFound('The consent record');
      if (before.withdrawnAt) throw alreadyWithdrawn();
      const after = { ...fields(input), validUntil };
      await em.getRepository(ConsentRecord).update(consentId, after);
      await this.audit.record(
        { actor, action: 'consent.updated', target: { type: 'testimony', id: testimonyId }, details: { consentId, before: summary(before), after: summary({ ...before, ...after }) }, context },
        em,
      );
      await this.reviewAgainIfApproved(item, actor, context, em, 'consent.updated');
    });
    return this.one(consentId);
  }

  async addEvidence(actor: AuthUser, testimonyId: string, consentId: string, stagedFile: string, context: RequestContext): Promise<ConsentRecordDto> {
    await this.writableItem(actor, testimonyId);
    const record = await this.records.findOneBy({ id: consentId, testimonyId });
    if (!record) throw AppError.notFound('The consent record');
    if (record.withdrawnAt) throw alreadyWithdrawn();
    const stored = await this.evidence.store(consentId, stagedFile);
    try {
      await this.db.transaction(async (em) => {
        await em.getRepository(ConsentRecord).update(consentId, { evidenceKey: stored.key, evidenceMime: stored.mime, evidenceBytes: stored.bytes });
        await this.audit.record(
          { actor, action: 'consent.evidence_added', target: { type: 'testimony', id: testimonyId }, details: { consentId, mime: stored.mime, bytes: stored.bytes, replaced: record.evidenceKey !== null }, context },
          em,
        );
      });
    } catch (error) {
      await this.storage.delete(stored.key).catch(() => undefined);
      throw error;
    }
    // The earlier evidence stays findable through the audit trail only; its file is replaced.
    if (record.evidenceKey) await this.storage.delete(record.evidenceKey).catch(() => undefined);
    return this.one(consentId);
  }

  /** A short-lived link for editors and admins; the route refuses other roles. */
  async evidenceLink(viewer: AuthUser, testimonyId: string, consentId: string): Promise<EvidenceLinkDto> {
    const item = await this.testimonies.get(viewer, testimonyId);
    // After a withdrawal, links to anything of the person go to admins only, the proof of consent included.
    if (item.status === TestimonyStatus.Withdrawn && viewer.role !== Role.Admin) throw withdrawn();
    const record = await this.records.findOneBy({ id: consentId, testimonyId });
    if (!record?.evidenceKey || !record.evidenceMime) throw AppError.notFound('The consent evidence');
    const link = await this.storage.presignGet(record.evidenceKey, { contentType: record.evidenceMime });
    return { url: link.url, urlExpiresAt: link.expiresAt.toISOString(), mimeType: record.evidenceMime };
  }

  /** What stops the Page from showing this item, read under a share lock so a withdrawal cannot slip past. */
  async pageGaps(testimonyId: string, em: EntityManager): Promise<{ gaps: ConsentGap[]; records: ConsentRecord[] }> {
    const records = await em.getRepository(ConsentRecord).find({ where: { testimonyId }, lock: { mode: 'pessimistic_read' }, order: { createdAt: 'ASC' } });
    return { gaps: pageConsentGaps(records, campaignToday()), records };
  }

  private async writableItem(actor: AuthUser, testimonyId: string): Promise<Testimony> {
    const item = await this.testimonies.get(actor, testimonyId);
    if (item.status === TestimonyStatus.Withdrawn) throw withdrawn();
    return item;
  }

  private async reviewAgainIfApproved(item: Testimony, actor: AuthUser, context: RequestContext, em: EntityManager, because: string): Promise<void> {
    if (item.status !== TestimonyStatus.Approved) return;
    await this.lifecycle.tryMove(item.id, { move: 'testimony.sent_back_to_review', actor, context, details: { because } }, em);
  }

  private async one(id: string): Promise<ConsentRecordDto> {
    const row = await this.records.findOneOrFail({ where: { id }, relations: { recordedBy: true } });
    return ConsentRecordDto.from(row, campaignToday());
  }
}

function fields(input: ConsentInputDto): Partial<ConsentRecord> {
  return {
    personLabel: input.personLabel,
    isMinor: input.isMinor,
    guardianName: input.isMinor ? (input.guardianName ?? null) : null,
    guardianRelationship: input.isMinor ? (input.guardianRelationship ?? null) : null,
    childAssent: input.isMinor ? (input.childAssent ?? null) : null,
    method: input.method,
    explainedBy: input.explainedBy,
    explanationLanguage: input.explanationLanguage,
    channels: input.channels,
    identifiability: input.identifiability,
    givenOn: input.givenOn.slice(0, 10),
    restrictions: input.restrictions ?? '',
    referralGiven: input.referralGiven,
  };
}

/** What the audit row keeps of a record: its terms, not the guardian's name. */
function summary(r: Partial<ConsentRecord>): Record<string, unknown> {
  return {
    personLabel: r.personLabel,
    isMinor: r.isMinor,
    method: r.method,
    channels: r.channels,
    identifiability: r.identifiability,
    givenOn: r.givenOn,
    validUntil: r.validUntil,
    restrictions: r.restrictions,
  };
}

export function alreadyWithdrawn(): AppError {
  return AppError.conflict(ErrorCode.ConsentAlreadyWithdrawn, 'This consent was already withdrawn. Its record is kept, but it can no longer change.');
}

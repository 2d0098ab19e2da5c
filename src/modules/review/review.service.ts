import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Not } from 'typeorm';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuthUser } from '../auth/auth-user';
import { CaptionTrack } from '../captions/caption-track.entity';
import { ConsentService } from '../consent/consent.service';
import { consentMissing, disguisesToConfirm } from '../consent/consent-rules';
import { Asset, AssetRole } from '../testimonies/asset.entity';
import { TestimoniesService } from '../testimonies/testimonies.service';
import { TestimonyLifecycle } from '../testimonies/testimony-lifecycle.service';
import { MediaKind, TestimonyMove } from '../testimonies/testimony-status';
import { Role } from '../users/role';
import { ApprovalPin, Decision, DecisionKind } from './decision.entity';
import { DecisionDto, DecisionInputDto, HistoryEntryDto } from './dto/review.dto';

const MOVE_OF: Record<DecisionKind, TestimonyMove> = {
  [DecisionKind.Approved]: 'testimony.approved',
  [DecisionKind.ChangesRequested]: 'testimony.changes_requested',
  [DecisionKind.Rejected]: 'testimony.rejected',
};

/**
 * The editorial gate. An editor's decision moves the item and is written, with what it pinned, in one
 * transaction: an approval holds only while every person shown has an active consent covering the Page,
 * and it pins the renditions and caption versions that publishing will send.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly db: DataSource,
    private readonly testimonies: TestimoniesService,
    private readonly lifecycle: TestimonyLifecycle,
    private readonly consent: ConsentService,
  ) {}

  async decide(actor: AuthUser, testimonyId: string, kind: DecisionKind, input: DecisionInputDto, context: RequestContext): Promise<DecisionDto> {
    const item = await this.testimonies.get(actor, testimonyId);
    if (kind === DecisionKind.Approved && item.educatorId === actor.id) {
      throw new AppError(ErrorCode.OwnUpload, 'You uploaded this item, so another editor must approve it.', 403);
    }
    const note = input.note ?? '';
    if (kind !== DecisionKind.Approved && note === '') {
      throw AppError.badRequest(
        ErrorCode.NoteRequired,
        kind === DecisionKind.Rejected ? 'Say why the item is rejected: the educator reads it.' : 'Say what the educator should change.',
        { decision: kind },
      );
    }
    const decision = await this.db.transaction(async (em) => {
      const { testimony } = await this.lifecycle.move(
        testimonyId,
        { move: MOVE_OF[kind], actor, context, expected: input.expectedStatus, details: { note } },
        em,
      );
      let pinned: ApprovalPin | null = null;
      let confirmed: string[] = [];
      if (kind === DecisionKind.Approved) {
        confirmed = await this.checkConsent(testimonyId, input.confirmDisguise ?? [], em);
        pinned = await this.pin(testimonyId, testimony.processingGeneration, em);
        if (awaitsPublishRendition(testimony.kind, pinned)) throw publishRenditionNotReady();
      }
      return em.getRepository(Decision).save(
        em.getRepository(Decision).create({ testimonyId, kind, note, decidedById: actor.id, pinned, disguiseConfirmed: confirmed }),
      );
    });
    return toDecisionDto(decision, actor.username);
  }

  /** The educator sends an item back after fixing what was asked (captions, details) without a new file. */
  async resubmit(actor: AuthUser, testimonyId: string, context: RequestContext): Promise<void> {
    const item = await this.testimonies.get(actor, testimonyId);
    if (actor.role === Role.Educator && item.educatorId !== actor.id) throw AppError.notFound('The testimony');
    await this.lifecycle.move(testimonyId, { move: 'testimony.resubmitted', actor, context, expected: item.status });
  }

  async decisions(viewer: AuthUser, testimonyId: string): Promise<DecisionDto[]> {
    await this.testimonies.get(viewer, testimonyId);
    const rows = await this.db.getRepository(Decision).find({ where: { testimonyId }, relations: { decidedBy: true }, order: { createdAt: 'DESC' } });
    return rows.map((d) => toDecisionDto(d, d.decidedBy?.displayName ?? null));
  }

  /** Who did what to the item, oldest first: moves, decisions, consent, captions, comments. */
  async history(viewer: AuthUser, testimonyId: string): Promise<HistoryEntryDto[]> {
    await this.testimonies.get(viewer, testimonyId);
    const events = await this.db.getRepository(AuditEvent).find({ where: { targetType: 'testimony', targetId: testimonyId }, order: { createdAt: 'ASC' }, take: 500 });
    return events.map((e) => ({ action: e.action, actor: e.actorUsername, at: e.createdAt.toISOString(), details: e.details as Record<string, unknown> }));
  }

  private async checkConsent(testimonyId: string, confirmedIds: string[], em: EntityManager): Promise<string[]> {
    const { gaps, records } = await this.consent.pageGaps(testimonyId, em);
    if (gaps.length > 0) throw consentMissing(gaps);
    const needed = disguisesToConfirm(records);
    const missing = needed.filter((r) => !confirmedIds.includes(r.id));
    if (missing.length > 0) {
      throw new AppError(
        ErrorCode.DisguiseNotConfirmed,
        'Confirm that the version you approve honours what each person asked: a blurred face, an altered voice, a withheld name, or not being shown.',
        409,
        {},
        { consentIds: missing.map((r) => r.id) },
        missing.map((r) => ({ kind: r.identifiability, message: `${r.personLabel}: ${r.identifiability.replace(/_/g, ' ')}.`, values: { consentId: r.id, person: r.personLabel } })),
      );
    }
    return needed.map((r) => r.id);
  }

  private async pin(testimonyId: string, generation: number, em: EntityManager): Promise<ApprovalPin> {
    const assets = await em.getRepository(Asset).find({ where: { testimonyId, role: Not(AssetRole.Original) }, order: { role: 'ASC', variant: 'ASC' } });
    const tracks = await em.getRepository(CaptionTrack).find({ where: { testimonyId }, order: { language: 'ASC' } });
    return {
      generation,
      renditions: assets.map((a) => ({ role: a.role, variant: a.variant, assetId: a.id, storageKey: a.storageKey })),
      captions: tracks.filter((t) => t.cues.length > 0).map((t) => ({ language: t.language, version: t.version })),
    };
  }
}

/**
 * A transcoded video reaches review with its light review copy, before its publish rendition (the file
 * the Page receives) exists; every processed video has one of the two.
 */
function awaitsPublishRendition(kind: MediaKind, pinned: ApprovalPin): boolean {
  const has = (role: AssetRole) => pinned.renditions.some((r) => r.role === role);
  return kind === MediaKind.Video && has(AssetRole.Review) && !has(AssetRole.Publish);
}

/**
 * An approval pins the files publishing sends, so it waits for the publish rendition rather than pin
 * none: the editor is told to approve again shortly, and the move is undone with the transaction.
 */
function publishRenditionNotReady(): AppError {
  return AppError.conflict(
    ErrorCode.PublishRenditionNotReady,
    'The full-quality video for the Page is still being made. You can watch this copy now; approve it again in a few minutes, once it is ready.',
  );
}

function toDecisionDto(d: Decision, decidedBy: string | null): DecisionDto {
  return { id: d.id, kind: d.kind, note: d.note, decidedBy, createdAt: d.createdAt.toISOString() };
}

import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequestContext } from '../../common/http/request-context';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { StorageService } from '../storage/storage.service';
import { TestimonyLifecycle } from '../testimonies/testimony-lifecycle.service';
import { CaptionAccess } from './caption-access';
import { CaptionFormat, CaptionLanguage, Cue, FACEBOOK_LOCALE } from './caption.types';
import { CaptionUpload, readCaptionFile } from './caption-import';
import { CaptionMedia } from './caption-media';
import { captionSidecarKey } from './caption-storage-keys';
import { CaptionTrack } from './caption-track.entity';
import { CaptionTrackVersion } from './caption-track-version.entity';
import { CaptionChange, CaptionTrackWriter, SavedTrack } from './caption-track-writer';
import { ChangeCueDto, ReplaceCaptionsDto } from './dto/caption-input.dto';
import { CaptionTrackDto, CaptionTrackSummaryDto, CaptionVersionDto } from './dto/caption-output.dto';
import { facebookCaptionFileName, toAss, toSrt, toVtt, validateCues } from './formats';

export interface CaptionFile {
  body: string;
  fileName: string;
  contentType: string;
}

const CONTENT_TYPES: Record<CaptionFormat, string> = {
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  ass: 'text/x-ssa; charset=utf-8',
};

/** Captions of a testimony: who may read and change them, and what each change records. */
@Injectable()
export class CaptionsService {
  constructor(
    @InjectRepository(CaptionTrack) private readonly tracks: Repository<CaptionTrack>,
    @InjectRepository(CaptionTrackVersion) private readonly versions: Repository<CaptionTrackVersion>,
    private readonly access: CaptionAccess,
    private readonly writer: CaptionTrackWriter,
    private readonly media: CaptionMedia,
    private readonly storage: StorageService,
    private readonly audit: AuditService,
    private readonly lifecycle: TestimonyLifecycle,
  ) {}

  async list(viewer: AuthUser, testimonyId: string): Promise<CaptionTrackSummaryDto[]> {
    await this.access.readable(viewer, testimonyId);
    const tracks = await this.tracks.find({ where: { testimonyId }, relations: { updatedBy: true }, order: { language: 'ASC' } });
    return tracks.map((t) => ({
      language: t.language,
      source: t.source,
      version: t.version,
      cueCount: t.cues.length,
      updatedAt: t.updatedAt.toISOString(),
      updatedBy: t.updatedBy?.displayName ?? null,
    }));
  }

  async track(viewer: AuthUser, testimonyId: string, language: CaptionLanguage): Promise<CaptionTrackDto> {
    await this.access.readable(viewer, testimonyId);
    const track = await this.existing(testimonyId, language);
    const { warnings } = validateCues(track.cues, { durationMs: await this.media.durationMs(testimonyId), language });
    return this.toDto({ track, warnings });
  }

  async replace(actor: AuthUser, testimonyId: string, language: CaptionLanguage, body: ReplaceCaptionsDto, context: RequestContext): Promise<CaptionTrackDto> {
    await this.access.writable(actor, testimonyId);
    const cues = body.cues.map(({ startMs, endMs, text }) => ({ startMs, endMs, text }));
    return this.change(actor, testimonyId, language, 'caption.replaced', { source: 'edited', baseVersion: body.baseVersion, cues: () => cues }, context);
  }

  async changeCue(actor: AuthUser, testimonyId: string, language: CaptionLanguage, index: number, patch: ChangeCueDto, context: RequestContext): Promise<CaptionTrackDto> {
    await this.access.writable(actor, testimonyId);
    const edit = (current: Cue[] | null): Cue[] => {
      if (!current) throw noTrack(language);
      if (index < 0 || index >= current.length) {
        throw new AppError(ErrorCode.NotFound, `There is no cue ${index}: these captions have cues 0 to ${current.length - 1}.`, HttpStatus.NOT_FOUND, {}, { index, last: current.length - 1 });
      }
      // Field by field: the DTO instance carries the fields that were not sent as undefined.
      const { startMs = current[index].startMs, endMs = current[index].endMs, text = current[index].text } = patch;
      return current.map((cue, i) => (i === index ? { startMs, endMs, text } : cue));
    };
    return this.change(actor, testimonyId, language, 'caption.cue_changed', { source: 'edited', baseVersion: patch.baseVersion, cues: edit }, context, { index });
  }

  async import(actor: AuthUser, testimonyId: string, language: CaptionLanguage, file: CaptionUpload | undefined, context: RequestContext): Promise<CaptionTrackDto> {
    await this.access.writable(actor, testimonyId);
    if (!file) throw AppError.badRequest(ErrorCode.ValidationFailed, 'Send the caption file as a form with one file in the "file" field.');
    const { cues, format } = readCaptionFile(file, await this.media.durationMs(testimonyId));
    return this.change(actor, testimonyId, language, 'caption.imported', { source: 'uploaded', cues: () => cues }, context, { format, bytes: file.size });
  }

  async versionList(viewer: AuthUser, testimonyId: string, language: CaptionLanguage): Promise<CaptionVersionDto[]> {
    await this.access.readable(viewer, testimonyId);
    const track = await this.existing(testimonyId, language);
    const rows = await this.versions.find({ where: { trackId: track.id }, relations: { changedBy: true }, order: { version: 'DESC' } });
    return rows.map((v) => ({
      version: v.version,
      source: v.source,
      cueCount: v.cues.length,
      changedAt: v.changedAt.toISOString(),
      changedBy: v.changedBy?.displayName ?? null,
    }));
  }

  /** Undo: the chosen version's cues become current again as a new version, so nothing is lost either way. */
  async restore(actor: AuthUser, testimonyId: string, language: CaptionLanguage, version: number, context: RequestContext): Promise<CaptionTrackDto> {
    await this.access.writable(actor, testimonyId);
    const track = await this.existing(testimonyId, language);
    const earlier = await this.versions.findOneBy({ trackId: track.id, version });
    if (!earlier) throw new AppError(ErrorCode.NotFound, `These captions have no version ${version}. See the list of versions.`, HttpStatus.NOT_FOUND, {}, { version });
    return this.change(actor, testimonyId, language, 'caption.restored', { source: 'edited', cues: () => earlier.cues }, context, { restoredVersion: version });
  }

  async export(viewer: AuthUser, testimonyId: string, language: CaptionLanguage, format: CaptionFormat): Promise<CaptionFile> {
    await this.access.readable(viewer, testimonyId);
    const { cues } = await this.existing(testimonyId, language);
    const body =
      format === 'srt' ? toSrt(cues) : format === 'vtt' ? toVtt(cues) : toAss(cues, { ...(await this.media.publishFrame(testimonyId)), language });
    // Facebook reads the language from the SRT's name; the other formats follow the same pattern.
    const fileName = format === 'srt' ? facebookCaptionFileName(testimonyId, language) : `${testimonyId}.${FACEBOOK_LOCALE[language]}.${format}`;
    return { body, fileName, contentType: CONTENT_TYPES[format] };
  }

  /** Callers check `writable` first, before any parsing, so someone else's item is a 404 whatever they send. */
  private async change(
    actor: AuthUser,
    testimonyId: string,
    language: CaptionLanguage,
    action: AuditAction,
    change: Omit<CaptionChange, 'durationMs'>,
    context: RequestContext,
    details: Record<string, unknown> = {},
  ): Promise<CaptionTrackDto> {
    const saved = await this.writer.save(actor.id, testimonyId, language, { ...change, durationMs: await this.media.durationMs(testimonyId) });
    // The approval pinned the caption versions it saw; new words need an editor's eyes again.
    await this.lifecycle.tryMove(testimonyId, { move: 'testimony.sent_back_to_review', actor, context, details: { because: action, language, version: saved.track.version } });
    await this.audit.record({
      actor,
      action,
      target: { type: 'testimony', id: testimonyId },
      details: { language, version: saved.track.version, cues: saved.track.cues.length, ...details },
      context,
    });
    return this.toDto(saved);
  }

  private async existing(testimonyId: string, language: CaptionLanguage): Promise<CaptionTrack> {
    const track = await this.tracks.findOneBy({ testimonyId, language });
    if (!track) throw noTrack(language);
    return track;
  }

  private async toDto({ track, warnings }: SavedTrack): Promise<CaptionTrackDto> {
    const link = await this.storage.presignGet(captionSidecarKey(track.testimonyId, track.language, track.version), { contentType: 'text/vtt; charset=utf-8' });
    return { language: track.language, source: track.source, version: track.version, cues: track.cues, warnings, vttUrl: link.url };
  }
}

function noTrack(language: CaptionLanguage): AppError {
  return new AppError(ErrorCode.NoCaptionsYet, `This testimony has no captions in ${language} yet.`, HttpStatus.NOT_FOUND, {}, { language });
}

import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { StorageService } from '../storage/storage.service';
import { captionSidecarKey } from './caption-storage-keys';
import { CaptionSource, CaptionTrack } from './caption-track.entity';
import { CaptionTrackVersion } from './caption-track-version.entity';
import { CaptionLanguage, Cue, CueWarning } from './caption.types';
import { captionsRefused, cueCountProblem } from './caption-problems';
import { sanitizeCueText, toVtt, validateCues } from './formats';

export interface CaptionChange {
  source: CaptionSource;
  /** The version the caller edited; a different current version means someone else saved in between. */
  baseVersion?: number;
  /** The new cues, from the current ones (null when the language has no track yet). */
  cues: (current: Cue[] | null) => Cue[];
  durationMs?: number;
  /** For machine drafts: leave the track alone if a person uploaded or edited its current cues. */
  keepHumanEdits?: boolean;
}

/** Thrown, rolling the save back, when `keepHumanEdits` found cues a person made. */
export class HumanEditsKept extends Error {
  constructor() {
    super('The current captions come from a person; a machine draft does not replace them.');
  }
}

export interface SavedTrack {
  track: CaptionTrack;
  warnings: CueWarning[];
}

/**
 * Saves a new version of a track: the track row, its version row and its WebVTT sidecar, all or nothing,
 * keeping the last CAPTION_VERSIONS_KEPT versions.
 * Writers of one track are serialised by a row lock, so versions never collide and a stale edit is caught.
 */
@Injectable()
export class CaptionTrackWriter {
  private readonly logger = new Logger(CaptionTrackWriter.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `actorId` is null for work no person did directly (a machine transcript). */
  async save(actorId: string | null, testimonyId: string, language: CaptionLanguage, change: CaptionChange): Promise<SavedTrack> {
    let sidecar: string | undefined;
    try {
      const saved = await this.db.transaction(async (tx) => {
        const current = await this.lockTrack(tx, testimonyId, language, change.source);
        if (change.baseVersion !== undefined && change.baseVersion !== current.version) {
          throw new AppError(ErrorCode.Conflict, 'Someone else changed these captions; reload them and make your change again.', HttpStatus.CONFLICT);
        }
        if (change.keepHumanEdits && current.version > 0 && current.source !== 'machine') throw new HumanEditsKept();
        const next = change.cues(current.version === 0 ? null : current.cues);
        const countProblem = cueCountProblem(next.length);
        if (countProblem) throw captionsRefused([countProblem]);
        const cues = next.map((cue) => ({ startMs: cue.startMs, endMs: cue.endMs, text: sanitizeCueText(cue.text) }));
        const { problems, warnings } = validateCues(cues, { durationMs: change.durationMs, language });
        if (problems.length > 0) throw captionsRefused(problems);

        const version = current.version + 1;
        sidecar = captionSidecarKey(testimonyId, language, version);
        const vtt = Buffer.from(toVtt(cues), 'utf8');
        await this.storage.put(sidecar, vtt, { contentType: 'text/vtt; charset=utf-8', contentLength: vtt.length }).catch((error: Error) => {
          this.logger.warn(`Could not store caption sidecar ${sidecar}: ${error.message}`);
          throw AppError.unavailable('File storage (S3)', 'Nothing was saved; try again in a minute.');
        });

        const updatedAt = new Date();
        await tx.update(CaptionTrack, { id: current.id }, { cues, version, source: change.source, updatedById: actorId, updatedAt });
        await tx.insert(CaptionTrackVersion, { trackId: current.id, version, cues, source: change.source, changedById: actorId, changedAt: updatedAt });
        // Each version holds the whole track: a track edited cue by cue for weeks would otherwise grow without end.
        await tx.delete(CaptionTrackVersion, { trackId: current.id, version: LessThanOrEqual(version - this.config.captions.versionsKept) });
        return { track: { ...current, cues, version, source: change.source, updatedById: actorId, updatedAt }, warnings };
      });
      if (saved.track.version > 1) this.removeSidecar(captionSidecarKey(testimonyId, language, saved.track.version - 1));
      return saved;
    } catch (error) {
      // The rows were rolled back, so a sidecar written for them points at nothing.
      if (sidecar) this.removeSidecar(sidecar);
      throw error;
    }
  }

  /**
   * Creates an empty version-0 row when the language has none, then locks the row. Two first saves
   * at once wait on the unique index instead of failing, and both go through the lock in turn.
   */
  private async lockTrack(tx: EntityManager, testimonyId: string, language: CaptionLanguage, source: CaptionSource): Promise<CaptionTrack> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(CaptionTrack)
      .values({ testimonyId, language, source, version: 0, cues: [] })
      .orIgnore()
      .execute();
    return tx.getRepository(CaptionTrack).findOneOrFail({ where: { testimonyId, language }, lock: { mode: 'pessimistic_write' } });
  }

  /** Best effort: an orphaned sidecar costs a few bytes, and the testimony's prefix delete removes it later. */
  private removeSidecar(key: string): void {
    this.storage.delete(key).catch((error: Error) => this.logger.warn(`Could not remove caption sidecar ${key}: ${error.message}`));
  }
}

import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AppError, ErrorCode } from '../../../common/errors/app-error';
import { RequestContext } from '../../../common/http/request-context';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { JobName, QueueName } from '../../queues/job-catalog';
import { JobQueue } from '../../queues/job-queue.service';
import { JobWaiter } from '../../queues/job-waiter';
import { PerUserRate } from '../../redis/redis.module';
import { StorageService } from '../../storage/storage.service';
import { MediaKind } from '../../testimonies/testimony-status';
import { CaptionAccess, notAVideo } from '../caption-access';
import { CaptionMedia } from '../caption-media';
import { CaptionTrack } from '../caption-track.entity';
import { CaptionLanguage } from '../caption.types';
import { CaptionTask, CaptionTaskKind } from './caption-task.entity';
import { CaptionTaskDto, CaptionedVideoDto } from './caption-task.dto';
import { CAPTION_TASK_JOB, captionTaskJobId } from './caption-task.job';

/** A person waits on the preview; past this the workers are busy or down, and we say so. */
const PREVIEW_WAIT_MS = 20_000;

/**
 * Background work on captions, from the API's side: asking for it (once per request, however often
 * the button is pressed), reporting how it goes, and the one synchronous job, the preview frame.
 */
@Injectable()
export class CaptionTasksService {
  private readonly logger = new Logger(CaptionTasksService.name);

  constructor(
    @InjectRepository(CaptionTask) private readonly tasks: Repository<CaptionTask>,
    @InjectRepository(CaptionTrack) private readonly tracks: Repository<CaptionTrack>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: CaptionAccess,
    private readonly media: CaptionMedia,
    private readonly jobs: JobQueue,
    private readonly waiter: JobWaiter,
    private readonly storage: StorageService,
    private readonly audit: AuditService,
    private readonly rate: PerUserRate,
  ) {}

  async list(viewer: AuthUser, testimonyId: string, language: CaptionLanguage): Promise<CaptionTaskDto[]> {
    await this.access.readable(viewer, testimonyId);
    const tasks = await this.tasks.find({ where: { testimonyId, language }, relations: { requestedBy: true }, order: { kind: 'ASC' } });
    return Promise.all(tasks.map((task) => this.toDto(task)));
  }

  async request(actor: AuthUser, testimonyId: string, language: CaptionLanguage, kind: CaptionTaskKind, context: RequestContext): Promise<CaptionTaskDto> {
    await this.access.writable(actor, testimonyId);
    if (!(await this.media.publishRendition(testimonyId))) throw videoNotReady();
    if (kind === 'transcript' && this.config.speech.engine === 'none') {
      throw refused(
        ErrorCode.NoSpeechEngine,
        'This server has no speech-to-text engine. Use "Propose timings" and type the words; an admin can set one up (SPEECH_ENGINE).',
      );
    }
    const trackVersion = kind === 'burn-in' ? await this.burnableVersion(testimonyId, language) : null;

    const { task, isNew } = await this.claim(actor, testimonyId, language, kind, trackVersion);
    if (isNew) {
      try {
        await this.jobs.enqueue(CAPTION_TASK_JOB[kind], { taskId: task.id, request: task.request }, { jobId: captionTaskJobId(kind, task.id, task.request) });
      } catch (error) {
        // The row must not promise work nobody will do.
        await this.tasks.update({ id: task.id, request: task.request }, { status: 'failed', error: 'It could not be started. Try again in a minute.', errorCode: ErrorCode.DependencyUnavailable, errorFigures: null, finishedAt: new Date() });
        throw error;
      }
      await this.audit.record({
        actor,
        action: 'caption.task_requested',
        target: { type: 'testimony', id: testimonyId },
        details: { language, kind, request: task.request, trackVersion },
        context,
      });
    }
    return this.toDto(await this.tasks.findOneOrFail({ where: { id: task.id }, relations: { requestedBy: true } }));
  }

  /** A JPEG of the frame at `atMs` with the saved captions drawn in exactly as burn-in will draw them. */
  async preview(viewer: AuthUser, testimonyId: string, language: CaptionLanguage, atMs: number): Promise<Buffer> {
    // Each preview is a decode on a worker: one person dragging the slider must not keep them all busy.
    await this.rate.take('caption-preview', viewer.id, this.config.captions.previewsPerMinute, 60);
    const testimony = await this.access.readable(viewer, testimonyId);
    if (testimony.kind !== MediaKind.Video) throw notAVideo();
    const track = await this.tracks.findOneBy({ testimonyId, language });
    if (!track || track.cues.length === 0) throw noCaptionsYet(language, 'to preview');
    const publish = await this.media.publishRendition(testimonyId);
    if (!publish) throw videoNotReady();
    if (publish.durationMs !== null && atMs > publish.durationMs) {
      throw new AppError(ErrorCode.ValidationFailed, `atMs is past the end of the video (${publish.durationMs} ms).`, HttpStatus.BAD_REQUEST);
    }
    // One attempt, removed once answered: a preview nobody waits for any more is worth nothing.
    const job = await this.jobs.enqueue(JobName.CaptionPreview, { testimonyId, language, atMs }, { attempts: 1, removeOnComplete: true, removeOnFail: 100 });
    try {
      const { jpegBase64 } = await this.waiter.result(
        QueueName.Captions,
        job,
        PREVIEW_WAIT_MS,
        `The preview took longer than ${PREVIEW_WAIT_MS / 1000} seconds: the workers are busy or stopped. Try again in a minute.`,
      );
      return Buffer.from(jpegBase64, 'base64');
    } catch (error) {
      if (error instanceof AppError) throw error;
      this.logger.warn(`Preview of ${testimonyId} ${language} at ${atMs} ms failed: ${(error as Error).message}`);
      throw new AppError(ErrorCode.Internal, 'The preview could not be drawn. Try another moment of the video; if it keeps failing, tell an admin.', HttpStatus.BAD_GATEWAY);
    }
  }

  private async burnableVersion(testimonyId: string, language: CaptionLanguage): Promise<number> {
    const track = await this.tracks.findOneBy({ testimonyId, language });
    if (!track || track.cues.length === 0) throw noCaptionsYet(language, 'to burn in');
    return track.version;
  }

  /**
   * Starts a new request unless an equivalent one is queued or running (or, for burn-in, the same
   * caption version is already rendered), all under the row's lock so two clicks make one job.
   */
  private async claim(
    actor: AuthUser,
    testimonyId: string,
    language: CaptionLanguage,
    kind: CaptionTaskKind,
    trackVersion: number | null,
  ): Promise<{ task: CaptionTask; isNew: boolean }> {
    const alreadyRendered = kind === 'burn-in' && (await this.media.captionedVideo(testimonyId, language)) !== null;
    return this.db.transaction(async (tx) => {
      const request = { status: 'queued' as const, progress: 0, trackVersion, cues: null, outcome: null, error: null, errorCode: null, errorFigures: null, requestedById: actor.id, requestedAt: new Date(), finishedAt: null };
      // The first request for this track and kind makes the row; a concurrent first request waits here on the unique index.
      const inserted = await tx
        .createQueryBuilder()
        .insert()
        .into(CaptionTask)
        .values({ testimonyId, language, kind, request: 1, ...request })
        .orIgnore()
        .returning('id')
        .execute();
      const repo = tx.getRepository(CaptionTask);
      const existing = await repo.findOneOrFail({ where: { testimonyId, language, kind }, lock: { mode: 'pessimistic_write' } });
      if ((inserted.raw as unknown[]).length > 0) return { task: existing, isNew: true };
      const sameWork = existing.trackVersion === trackVersion;
      if (sameWork && (existing.status === 'queued' || existing.status === 'running')) return { task: existing, isNew: false };
      if (sameWork && kind === 'burn-in' && existing.status === 'done' && alreadyRendered) return { task: existing, isNew: false };
      const next = { ...request, request: existing.request + 1 };
      await repo.update({ id: existing.id }, next);
      return { task: { ...existing, ...next }, isNew: true };
    });
  }

  private async toDto(task: CaptionTask): Promise<CaptionTaskDto> {
    return {
      kind: task.kind,
      status: task.status,
      progress: task.progress,
      requestedAt: task.requestedAt.toISOString(),
      requestedBy: task.requestedBy?.displayName ?? null,
      finishedAt: task.finishedAt?.toISOString() ?? null,
      error: task.error,
      errorCode: task.errorCode,
      errorFigures: task.errorFigures,
      cues: task.cues,
      outcome: task.outcome,
      trackVersion: task.trackVersion,
      video: task.kind === 'burn-in' ? await this.captionedVideo(task) : null,
    };
  }

  private async captionedVideo(task: CaptionTask): Promise<CaptionedVideoDto | null> {
    const asset = await this.media.captionedVideo(task.testimonyId, task.language);
    if (!asset) return null;
    const renderedVersion = (asset.details as { trackVersion?: number }).trackVersion ?? 0;
    const track = await this.tracks.findOne({ where: { testimonyId: task.testimonyId, language: task.language }, select: { version: true } });
    const link = await this.storage.presignGet(asset.storageKey, { contentType: asset.mimeType });
    return {
      url: link.url,
      urlExpiresAt: link.expiresAt.toISOString(),
      byteSize: asset.byteSize,
      trackVersion: renderedVersion,
      stale: (track?.version ?? 0) !== renderedVersion,
    };
  }
}

/** 409: the request is fine, but the item is not in a state where it can be done; `code` tells clients which. */
function refused(code: ErrorCode, message: string): AppError {
  return new AppError(code, message, HttpStatus.CONFLICT);
}

function noCaptionsYet(language: CaptionLanguage, purpose: string): AppError {
  return refused(ErrorCode.NoCaptionsYet, `There are no captions in ${language} ${purpose} yet: add or import them first.`);
}

function videoNotReady(): AppError {
  return refused(
    ErrorCode.VideoNotReady,
    'This video is not ready yet: wait until processing has finished (or ask an editor to process it again if it failed), then try again.',
  );
}

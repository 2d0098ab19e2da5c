import { ErrorCode } from '../../../../common/errors/app-error';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DataSource, Repository } from 'typeorm';
import { stageObject } from '../../../processing/job-workspace';
import { StorageService } from '../../../storage/storage.service';
import { Asset, AssetRole } from '../../../testimonies/asset.entity';
import { lockItem } from '../../../testimonies/testimony-lifecycle.service';
import { TestimonyStatus } from '../../../testimonies/testimony-status';
import { WITHDRAWN_TASK } from '../caption-task-withdrawal.effect';
import { CaptionMedia } from '../../caption-media';
import { captionedVideoKey } from '../../caption-storage-keys';
import { CaptionTrack } from '../../caption-track.entity';
import { CaptionTrackVersion } from '../../caption-track-version.entity';
import { CaptionLanguage, Cue } from '../../caption.types';
import { TaskRefusal } from './caption-task-runner';

const NOT_READY = 'The video is not ready any more (it is being processed again, or was deleted). Try again once it is ready for review.';

export interface StagedVideo {
  path: string;
  asset: Asset;
}

/** What caption jobs read and write besides the task row: the publish rendition, caption versions, the captioned MP4. */
@Injectable()
export class CaptionTaskInputs {
  private readonly logger = new Logger(CaptionTaskInputs.name);

  constructor(
    @InjectRepository(CaptionTrack) private readonly tracks: Repository<CaptionTrack>,
    @InjectRepository(CaptionTrackVersion) private readonly versions: Repository<CaptionTrackVersion>,
    private readonly db: DataSource,
    private readonly media: CaptionMedia,
    private readonly storage: StorageService,
  ) {}

  /** The publish rendition: already stripped of metadata and in the frame the captions are laid out for. */
  async publishRendition(testimonyId: string): Promise<Asset> {
    const asset = await this.media.publishRendition(testimonyId);
    if (!asset) throw new TaskRefusal(ErrorCode.VideoNotReady, NOT_READY);
    return asset;
  }

  async stagePublish(testimonyId: string, dir: string): Promise<StagedVideo> {
    const asset = await this.publishRendition(testimonyId);
    return { asset, path: await stageObject(this.storage, asset.storageKey, join(dir, `publish${extname(asset.storageKey)}`)) };
  }

  async currentCues(testimonyId: string, language: CaptionLanguage): Promise<Cue[]> {
    const track = await this.tracks.findOneBy({ testimonyId, language });
    if (!track || track.cues.length === 0) throw new TaskRefusal(ErrorCode.NoCaptionsYet, `There are no captions in ${language} to draw.`, { language });
    return track.cues;
  }

  /** The cues of one saved version: a burn-in draws what was current when it was asked for. */
  async versionCues(testimonyId: string, language: CaptionLanguage, version: number): Promise<Cue[]> {
    const track = await this.tracks.findOneBy({ testimonyId, language });
    const saved = track && (await this.versions.findOneBy({ trackId: track.id, version }));
    if (!saved) throw new TaskRefusal(ErrorCode.CaptionVersionGone, `Version ${version} of the ${language} captions is gone. Ask for the captioned video again.`, { language, version });
    return saved.cues;
  }

  /**
   * Stores a captioned MP4 and points the testimony's captioned rendition for `language` at it. The
   * object written first and removed again if the row cannot be written (the testimony was deleted or
   * withdrawn meanwhile), so nothing is left that no row points to; the one it replaces is removed after.
   */
  async storeCaptionedVideo(publish: Asset, language: CaptionLanguage, trackVersion: number, file: string): Promise<void> {
    const { testimonyId } = publish;
    const key = captionedVideoKey(testimonyId, language, trackVersion);
    const { size } = await stat(file);
    await this.storage.put(key, createReadStream(file), { contentType: 'video/mp4', contentLength: size });
    const previous = await this.media.captionedVideo(testimonyId, language);
    try {
      await this.db.transaction(async (em) => {
        // Under the item's lock: a withdrawal that came while ffmpeg ran must not find a new captioned
        // video after it (its purge would not know the object), so the row is refused and the object goes.
        const item = await lockItem(em, testimonyId, 'read');
        if (item?.status === TestimonyStatus.Withdrawn) throw new TaskRefusal(ErrorCode.ItemWithdrawn, WITHDRAWN_TASK);
        await em.getRepository(Asset).upsert(
          {
            testimonyId,
            role: AssetRole.Captions,
            variant: language,
            storageKey: key,
            mimeType: 'video/mp4',
            byteSize: size,
            width: publish.width,
            height: publish.height,
            durationMs: publish.durationMs,
            details: { trackVersion, madeFrom: publish.storageKey },
            sha256: null,
            originalFilename: null,
          },
          { conflictPaths: ['testimonyId', 'role', 'variant'] },
        );
      });
    } catch (error) {
      await this.storage.delete(key).catch(() => undefined);
      throw error;
    }
    if (previous && previous.storageKey !== key) {
      await this.storage.delete(previous.storageKey).catch((e: Error) => this.logger.warn(`Could not remove ${previous.storageKey}: ${e.message}`));
    }
  }
}

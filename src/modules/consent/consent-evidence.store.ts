import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { MediaCommandRunner } from '../media/media.ports';
import { UPLOADED_INPUT_OPTIONS, uploadedInput } from '../media/uploaded-input';
import { StorageService } from '../storage/storage.service';

export interface StoredEvidence {
  key: string;
  mime: string;
  bytes: number;
}

/** Evidence needs to be readable by an editor, not pretty: small outputs, and fast enough to do in the request. */
const OUTPUTS = {
  image: { ext: 'jpg', mime: 'image/jpeg' },
  audio: { ext: 'm4a', mime: 'audio/mp4' },
  video: { ext: 'mp4', mime: 'video/mp4' },
} as const;

/**
 * Keeps the proof of consent (a photo of the signed form, a recording of verbal consent) privately, with
 * every piece of metadata stripped: a phone's photo of a form carries the GPS of the person's home. The
 * file is re-encoded (images, audio) or re-muxed (video) so nothing of the original container survives.
 */
@Injectable()
export class ConsentEvidenceStore {
  private readonly logger = new Logger(ConsentEvidenceStore.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ffmpeg: MediaCommandRunner,
    private readonly storage: StorageService,
  ) {}

  async store(consentId: string, stagedFile: string): Promise<StoredEvidence> {
    const type = await fileTypeFromFile(stagedFile);
    const sniffed = type?.mime.startsWith('image/') ? 'image' : type?.mime.startsWith('audio/') ? 'audio' : type?.mime.startsWith('video/') ? 'video' : null;
    if (!sniffed) throw notMedia();
    // A "video" container may hold only sound and a cover picture (a recorder app's MP4, Chrome's audio-only
    // WebM). The cover is a JPEG copied byte for byte, EXIF GPS and all, so such a file is kept as audio.
    const kind = sniffed === 'video' && !(await this.hasMovingPicture(stagedFile)) ? 'audio' : sniffed;
    const work = await mkdtemp(join(this.config.media.workDir ?? tmpdir(), 'migra-consent-'));
    try {
      const out = join(work, `evidence.${OUTPUTS[kind].ext}`);
      await this.clean(kind, stagedFile, out);
      const key = `consent/${consentId}/${randomUUID()}.${OUTPUTS[kind].ext}`;
      const bytes = (await stat(out)).size;
      await this.storage.put(key, createReadStream(out), { contentType: OUTPUTS[kind].mime, contentLength: bytes });
      return { key, mime: OUTPUTS[kind].mime, bytes };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** `V`, not `v`: attached pictures (cover art) do not count. */
  private async hasMovingPicture(file: string): Promise<boolean> {
    try {
      return (await this.ffmpeg.ffprobe(['-v', 'error', '-select_streams', 'V', '-show_entries', 'stream=index', '-of', 'csv=p=0', ...UPLOADED_INPUT_OPTIONS, file])).trim() !== '';
    } catch (error) {
      this.logger.warn(`Consent evidence could not be probed: ${(error as Error).message}`);
      throw notMedia();
    }
  }

  private async clean(kind: keyof typeof OUTPUTS, input: string, out: string): Promise<void> {
    try {
      if (kind === 'image') {
        // sharp writes no metadata unless asked; rotate() first so a form photographed sideways reads upright.
        await sharp(input, { failOn: 'error', limitInputPixels: this.config.media.maxImagePixels }).rotate().jpeg({ quality: 85, mozjpeg: false }).toFile(out);
        return;
      }
      const strip = ['-map_metadata', '-1', '-map_chapters', '-1', '-fflags', '+bitexact'];
      if (kind === 'audio') {
        await this.ffmpeg.ffmpeg(['-nostdin', '-y', ...uploadedInput(input), '-vn', ...strip, '-c:a', 'aac', '-b:a', '96k', out]);
        return;
      }
      try {
        await this.ffmpeg.ffmpeg(['-nostdin', '-y', ...uploadedInput(input), '-map', '0:V:0', '-map', '0:a?', ...strip, '-c', 'copy', '-movflags', '+faststart', out]);
      } catch {
        // Codecs MP4 cannot carry as they are (VP8 from some phones): encode once, quickly.
        await this.ffmpeg.ffmpeg(['-nostdin', '-y', ...uploadedInput(input), '-map', '0:V:0', '-map', '0:a?', ...strip, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', out]);
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      this.logger.warn(`Consent evidence could not be read: ${(error as Error).message}`);
      throw notMedia();
    }
  }
}

function notMedia(): AppError {
  return AppError.badRequest(
    ErrorCode.EvidenceNotMedia,
    'The consent evidence must be a photo of the signed form, or an audio or video recording of the consent. This file could not be read as one.',
  );
}

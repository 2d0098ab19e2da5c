import { ErrorCode } from '../../common/errors/app-error';
import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Observable } from 'rxjs';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { newPhotoUploadId, removeStaged, stagedPath } from './staged-media';
import {tooLarge, uploadError } from './upload-errors';

/** What our storage engine reports to multer for the one file of a photo upload. */
export interface StagedPhoto {
  /** The staged file's upload id (`photo-…`); also its file name in the staging folder. */
  filename: string;
  originalname: string;
  size: number;
}

/**
 * A multer storage engine that streams the file into the staging folder under an id-based name, so the
 * phone's file name never reaches the disk. Multer stops the stream at the size limit and calls
 * `_removeFile`, so a refused file leaves nothing behind.
 */
export function stagingStorage(stagingDir: string) {
  return {
    _handleFile(_req: unknown, file: { stream: Readable }, done: (error: Error | null, info?: Partial<StagedPhoto>) => void): void {
      const uploadId = newPhotoUploadId();
      const out = createWriteStream(stagedPath(stagingDir, uploadId));
      pipeline(file.stream, out).then(
        () => done(null, { filename: uploadId, size: out.bytesWritten }),
        (error: Error) => removeStaged(stagingDir, uploadId).finally(() => done(error)),
      );
    },
    _removeFile(_req: unknown, file: { filename?: string }, done: (error: Error | null) => void): void {
      if (!file.filename) return done(null);
      removeStaged(stagingDir, file.filename).then(() => done(null), done);
    },
  };
}

/** Multer with our limits, turning its errors into sentences an educator can act on. */
@Injectable()
export class PhotoFileInterceptor implements NestInterceptor {
  private readonly multer: NestInterceptor;
  private readonly maxBytes: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxBytes = config.uploads.maxPhotoBytes;
    const Multer = FileInterceptor('file', {
      storage: stagingStorage(config.uploads.stagingDir),
      // Browsers send Khmer file names as UTF-8; multer would read them as Latin-1.
      defParamCharset: 'utf8',
      limits: { fileSize: this.maxBytes, files: 1, fields: 20, fieldSize: 20_000 },
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) throw tooLarge('photo', this.maxBytes);
      throw uploadError(HttpStatus.BAD_REQUEST, ErrorCode.UploadInvalidDetails, 'Send the photo as a form with one file in the "file" field and the details as fields.');
    }
  }
}

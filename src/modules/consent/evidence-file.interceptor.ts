import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Observable } from 'rxjs';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { stagingStorage } from '../uploads/photo-file.interceptor';

/** Consent evidence arrives like a photo upload: streamed to the staging folder under an id, within its own limit. */
@Injectable()
export class EvidenceFileInterceptor implements NestInterceptor {
  private readonly multer: NestInterceptor;
  private readonly maxBytes: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxBytes = config.consent.evidenceMaxBytes;
    const Multer = FileInterceptor('file', {
      storage: stagingStorage(config.uploads.stagingDir),
      limits: { fileSize: this.maxBytes, files: 1, fields: 5, fieldSize: 1000 },
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) {
        const limitMb = Math.floor(this.maxBytes / (1024 * 1024));
        throw new AppError(ErrorCode.EvidenceTooLarge, `The consent evidence is larger than ${limitMb} MB. Record a shorter clip or take a photo of the form instead.`, 413, {}, { limitMb });
      }
      throw AppError.badRequest(ErrorCode.ValidationFailed, 'Send the consent evidence as a form with one file in the "file" field.');
    }
  }
}

import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Observable } from 'rxjs';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { MAX_CAPTION_FILE_BYTES } from './formats';

const MultipartFile = FileInterceptor('file', {
  // No storage given: multer keeps the file in memory, which suits files of a few MB at most.
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_CAPTION_FILE_BYTES, files: 1, fields: 5, fieldSize: 1000 },
});

/** Multer with the caption file limit, its errors turned into sentences a person can act on. */
@Injectable()
export class CaptionFileInterceptor implements NestInterceptor {
  private readonly multer = new MultipartFile();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) {
        const mb = MAX_CAPTION_FILE_BYTES / (1024 * 1024);
        throw new AppError(ErrorCode.BodyTooLarge, `A caption file can be at most ${mb} MB. Split the captions or remove what is not text.`, HttpStatus.PAYLOAD_TOO_LARGE);
      }
      throw AppError.badRequest(ErrorCode.ValidationFailed, 'Send the caption file as a form with one file in the "file" field.');
    }
  }
}

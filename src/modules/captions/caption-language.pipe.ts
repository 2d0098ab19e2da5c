import { PipeTransform } from '@nestjs/common';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { ApiParam } from '@nestjs/swagger';
import { CAPTION_LANGUAGES, CaptionLanguage } from './caption.types';

/** Checks the `:language` of a captions route, telling the caller which ones we have. */
export class CaptionLanguagePipe implements PipeTransform<string, CaptionLanguage> {
  transform(value: string): CaptionLanguage {
    if ((CAPTION_LANGUAGES as readonly string[]).includes(value)) return value as CaptionLanguage;
    throw AppError.badRequest(ErrorCode.ValidationFailed, `Captions in "${value}" are not supported. Use one of: ${CAPTION_LANGUAGES.join(', ')}.`, { language: String(value), supported: [...CAPTION_LANGUAGES] });
  }
}

/** Documents `:language` as the enum it is: its type is an alias, which decorator metadata records as Object. */
export const ApiCaptionLanguage = (): MethodDecorator & ClassDecorator =>
  ApiParam({ name: 'language', enum: CAPTION_LANGUAGES, description: 'km (Khmer), en (English) or th (Thai).' });

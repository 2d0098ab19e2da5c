import { ErrorCode } from '../../common/errors/app-error';
import { HttpStatus } from '@nestjs/common';
import { CONTENT_LANGUAGES, ContentLanguage, MediaKind } from '../testimonies/testimony-status';
import { cleanPlainText } from '../../common/text/plain-text';
import {tooLarge, uploadError } from './upload-errors';

const TITLE_MAX = 200;
const DESCRIPTION_MAX = 5000;
const FILENAME_MAX = 255;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the educator tells us about a file, checked once for both the tus and the multipart route. */
export interface UploadDetails {
  title: string;
  description: string;
  language: ContentLanguage;
  kind: MediaKind;
  /** As the phone named it (Khmer included); data only, never part of a key or a path. */
  filename: string | null;
  /** Optional; the educator's own commune is used when absent. */
  communeId: string | null;
  /** A corrected file for this item of the educator's, after an editor asked for changes. */
  revisionOf: string | null;
}

export interface SizeLimits {
  maxVideoBytes: number;
  maxPhotoBytes: number;
}

type RawFields = Record<string, string | null | undefined>;

/**
 * NFC so that the same Khmer text typed on two phones compares and sorts the same; without control
 * characters and bidi overrides, which would hide or reorder what a reviewer reads (as in captions).
 */
function text(value: string | null | undefined): string {
  return cleanPlainText(value ?? '');
}

/** A title is one line: line breaks and tabs become single spaces. */
function line(value: string | null | undefined): string {
  return text(value).replace(/\s+/g, ' ');
}

function invalid(message: string) {
  return uploadError(HttpStatus.BAD_REQUEST, ErrorCode.UploadInvalidDetails, message);
}

/** Counts characters as PostgreSQL does (code points), so an emoji counts once, not twice. */
function length(value: string): number {
  return [...value].length;
}

export function parseUploadDetails(raw: RawFields): UploadDetails {
  const title = line(raw.title);
  if (!title) throw invalid('Give the testimony a title.');
  if (length(title) > TITLE_MAX) throw invalid(`The title is too long: use at most ${TITLE_MAX} characters.`);
  const description = text(raw.description);
  if (length(description) > DESCRIPTION_MAX) throw invalid(`The description is too long: use at most ${DESCRIPTION_MAX} characters.`);

  const language = text(raw.language) as ContentLanguage;
  if (!CONTENT_LANGUAGES.includes(language)) throw invalid('Choose the language spoken: km (Khmer), en (English) or th (Thai).');
  const kind = text(raw.kind) as MediaKind;
  if (kind !== MediaKind.Video && kind !== MediaKind.Photo) throw invalid('Choose whether this is a video or a photo.');

  if (text(raw.consent) !== 'true') {
    throw uploadError(
      HttpStatus.BAD_REQUEST,
      ErrorCode.UploadConsentRequired,
      'Confirm that the people shown agreed to be recorded. Without their agreement the file cannot be uploaded.',
    );
  }
  const communeId = text(raw.communeId) || null;
  if (communeId && !UUID.test(communeId)) throw invalid('The commune is not valid. Choose it again from the list.');

  const revisionOf = text(raw.revisionOf) || null;
  if (revisionOf && !UUID.test(revisionOf)) throw invalid('The item to correct is not valid. Open it again from your list.');

  const filename = [...line(raw.filename)].slice(0, FILENAME_MAX).join('') || null;
  return { title, description, language, kind, filename, communeId, revisionOf };
}

export function limitFor(kind: MediaKind, limits: SizeLimits): number {
  return kind === MediaKind.Video ? limits.maxVideoBytes : limits.maxPhotoBytes;
}

/** Refuses a declared size over the kind's limit before any byte is sent. */
export function assertDeclaredSize(kind: MediaKind, size: number, limits: SizeLimits): void {
  if (size > limitFor(kind, limits)) throw tooLarge(kind, limitFor(kind, limits));
}

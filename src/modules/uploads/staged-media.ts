import { ErrorCode } from '../../common/errors/app-error';
import { HttpStatus } from '@nestjs/common';
import { fileTypeFromFile } from 'file-type';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MediaKind } from '../testimonies/testimony-status';
import {uploadError } from './upload-errors';

export interface SniffedType {
  mime: string;
  /** From the bytes, never from the name the phone gave the file. */
  ext: string;
}

/**
 * tus keeps `<dir>/<id>` (+ `<id>.json`); multipart photos are staged beside them under a `photo-` id,
 * so a testimony's upload id always leads back to its staged file, whichever route it came by.
 */
export function stagedPath(stagingDir: string, uploadId: string): string {
  return join(stagingDir, uploadId);
}

export const PHOTO_UPLOAD_PREFIX = 'photo-';

export function newPhotoUploadId(): string {
  return `${PHOTO_UPLOAD_PREFIX}${randomBytes(16).toString('hex')}`;
}

/** Reads the real type from the file's first bytes and checks it against what the educator chose. */
export async function sniffMedia(path: string, declared: MediaKind): Promise<SniffedType> {
  const { size } = await stat(path);
  if (size === 0) {
    throw uploadError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UploadNotMedia, 'This file is empty. Choose the video or photo again.');
  }
  const type = await fileTypeFromFile(path);
  const actual = type?.mime.startsWith('video/') ? MediaKind.Video : type?.mime.startsWith('image/') ? MediaKind.Photo : null;
  if (!type || !actual) {
    throw uploadError(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ErrorCode.UploadNotMedia,
      'This file is not a video or a photo. Choose a video or photo from your phone.',
    );
  }
  if (actual !== declared) {
    throw uploadError(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ErrorCode.UploadWrongKind,
      `This file is a ${actual}, not a ${declared}. Choose "${actual}" and upload it again.`,
    );
  }
  return { mime: type.mime, ext: type.ext };
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Removes a staged upload and its tus metadata file; what is already gone is not an error. */
export async function removeStaged(stagingDir: string, uploadId: string): Promise<void> {
  const path = stagedPath(stagingDir, uploadId);
  await Promise.all([rm(path, { force: true }), rm(`${path}.json`, { force: true })]);
}

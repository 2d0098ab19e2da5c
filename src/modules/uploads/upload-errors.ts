import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { AppError } from '../../common/errors/app-error';

/**
 * Stable codes for refused uploads; the web app shows them in Khmer or English. The shared filter turns
 * the HttpException into `{ statusCode, error, message, code }`; the tus route builds the same body itself.
 */
export enum UploadErrorCode {
  InvalidDetails = 'UPLOAD_INVALID_DETAILS',
  ConsentRequired = 'UPLOAD_CONSENT_REQUIRED',
  UnknownCommune = 'UNKNOWN_COMMUNE',
  TooLarge = 'UPLOAD_TOO_LARGE',
  LengthRequired = 'UPLOAD_LENGTH_REQUIRED',
  NotMedia = 'UPLOAD_NOT_MEDIA',
  WrongKind = 'UPLOAD_WRONG_KIND',
  NotFound = 'UPLOAD_NOT_FOUND',
  OutOfStep = 'UPLOAD_OUT_OF_STEP',
  Protocol = 'UPLOAD_PROTOCOL',
  /** The person's unfinished uploads already take up their share of the staging disk. */
  QuotaExceeded = 'UPLOAD_QUOTA_EXCEEDED',
}

export function uploadError(status: HttpStatus, code: UploadErrorCode, message: string): HttpException {
  return new HttpException({ message, code }, status);
}

export function tooLarge(what: 'video' | 'photo', limitBytes: number): HttpException {
  const mb = Math.floor(limitBytes / (1024 * 1024));
  return uploadError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    UploadErrorCode.TooLarge,
    `This ${what} is larger than the ${mb} MB limit. Record a shorter clip or choose a smaller file.`,
  );
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  requestId?: string;
}

export function errorBody(status: number, code: string, message: string, requestId?: string): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, code, ...(requestId ? { requestId } : {}) };
}

/** What @tus/server expects a hook to throw: it answers with this status and body and stops. */
export function toTusError(error: unknown): { status_code: number; body: string } {
  if (error instanceof HttpException) {
    const payload = error.getResponse() as { message?: string; code?: string };
    return { status_code: error.getStatus(), body: JSON.stringify(errorBody(error.getStatus(), payload.code ?? UploadErrorCode.Protocol, payload.message ?? error.message)) };
  }
  if (error instanceof AppError) return { status_code: error.status, body: JSON.stringify({ ...errorBody(error.status, error.code, error.message), ...(error.figures ? { figures: error.figures } : {}) }) };
  if (error && typeof error === 'object' && 'status_code' in error) return error as { status_code: number; body: string };
  throw error;
}

/** The tus library answers protocol problems in plain text; say what the person or app should do instead. */
export function explainTusStatus(status: number, libraryText: string): { code: UploadErrorCode; message: string } {
  switch (status) {
    case 404:
    case 410:
      return { code: UploadErrorCode.NotFound, message: 'This upload was not found. It may have expired or been finished; start the upload again.' };
    case 409:
      return { code: UploadErrorCode.OutOfStep, message: 'The upload is out of step with the server. Resume it, and it will continue from where the server is.' };
    case 413:
      return { code: UploadErrorCode.TooLarge, message: 'The file is larger than the size it announced, or than the upload limit. Start the upload again.' };
    default:
      return { code: UploadErrorCode.Protocol, message: `The upload request was not understood (${libraryText.trim() || status}). Update the app and try again.` };
  }
}

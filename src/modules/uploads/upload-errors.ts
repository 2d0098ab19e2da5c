import { HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { AppError, ErrorCode, ErrorFigures } from '../../common/errors/app-error';

/** An upload refused with one of the error model's codes; the same body on the tus route and elsewhere. */
export function uploadError(status: HttpStatus, code: ErrorCode, message: string, figures?: ErrorFigures): AppError {
  return new AppError(code, message, status, {}, figures);
}

export function tooLarge(what: 'video' | 'photo', limitBytes: number): AppError {
  const mb = Math.floor(limitBytes / (1024 * 1024));
  return uploadError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    ErrorCode.UploadTooLarge,
    `This ${what} is larger than the ${mb} MB limit. Record a shorter clip or choose a smaller file.`,
    { limitMb: mb, kind: what },
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
  if (error instanceof AppError) return { status_code: error.status, body: JSON.stringify({ ...errorBody(error.status, error.code, error.message), ...(error.figures ? { figures: error.figures } : {}) }) };
  if (error && typeof error === 'object' && 'status_code' in error) return error as { status_code: number; body: string };
  throw error;
}

/** The tus library answers protocol problems in plain text; say what the person or app should do instead. */
export function explainTusStatus(status: number, libraryText: string): { code: ErrorCode; message: string } {
  switch (status) {
    case 404:
    case 410:
      return { code: ErrorCode.UploadNotFound, message: 'This upload was not found. It may have expired or been finished; start the upload again.' };
    case 409:
      return { code: ErrorCode.UploadOutOfStep, message: 'The upload is out of step with the server. Resume it, and it will continue from where the server is.' };
    case 413:
      return { code: ErrorCode.UploadTooLarge, message: 'The file is larger than the size it announced, or than the upload limit. Start the upload again.' };
    default:
      return { code: ErrorCode.UploadProtocol, message: `The upload request was not understood (${libraryText.trim() || status}). Update the app and try again.` };
  }
}

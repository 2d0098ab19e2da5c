import { HttpStatus } from '@nestjs/common';

/**
 * Stable error codes. The web app translates them into Khmer and English, so a code, once shipped,
 * keeps its meaning. The English `message` is for API users and logs.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedJson = 'MALFORMED_JSON',
  BodyTooLarge = 'BODY_TOO_LARGE',
  NotFound = 'NOT_FOUND',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  Conflict = 'CONFLICT',
  AuthRequired = 'AUTH_REQUIRED',
  SessionExpired = 'SESSION_EXPIRED',
  InvalidToken = 'INVALID_TOKEN',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  AccountDeactivated = 'ACCOUNT_DEACTIVATED',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  Forbidden = 'FORBIDDEN',
  PasswordTooWeak = 'PASSWORD_TOO_WEAK',
  UsernameTaken = 'USERNAME_TAKEN',
  CommuneRequired = 'COMMUNE_REQUIRED',
  UnknownCommune = 'UNKNOWN_COMMUNE',
  LastAdmin = 'LAST_ADMIN',
  DependencyUnavailable = 'DEPENDENCY_UNAVAILABLE',
  WorkerUnavailable = 'WORKER_UNAVAILABLE',
  /** Captions work on videos only. */
  NotAVideo = 'NOT_A_VIDEO',
  /** The video has no publish rendition yet (processing, or processing failed). */
  VideoNotReady = 'VIDEO_NOT_READY',
  /** Burn-in or a preview asked for a language with no captions. */
  NoCaptionsYet = 'NO_CAPTIONS_YET',
  /** A machine transcript asked of a server without a speech-to-text engine. */
  NoSpeechEngine = 'NO_SPEECH_ENGINE',
  /** A state-changing request carried the session cookie but came from another site's page. */
  CsrfOriginMismatch = 'CSRF_ORIGIN_MISMATCH',
  /** The person must choose a new password before doing anything else. */
  PasswordChangeRequired = 'PASSWORD_CHANGE_REQUIRED',
  /** Too many requests of one kind from one person in a short time. */
  RateLimited = 'RATE_LIMITED',
  Internal = 'INTERNAL_ERROR',
}

/** A failure the caller can act on: a code for programs, a plain sentence for people. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: HttpStatus,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what: string): AppError {
    return new AppError(ErrorCode.NotFound, `${what} was not found. It may have been deleted, or you may not have access to it.`, HttpStatus.NOT_FOUND);
  }

  static forbidden(message = 'Your role does not allow this. Ask an admin if you need access.'): AppError {
    return new AppError(ErrorCode.Forbidden, message, HttpStatus.FORBIDDEN);
  }

  static unavailable(dependency: string, advice = 'Try again in a minute.'): AppError {
    return new AppError(
      ErrorCode.DependencyUnavailable,
      `${dependency} is not reachable right now. ${advice}`,
      HttpStatus.SERVICE_UNAVAILABLE,
      { 'Retry-After': '30' },
    );
  }
}

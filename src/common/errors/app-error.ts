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
  /** The video has no publish rendition yet (processing, processing failed, or a transcoded video in review whose publish rendition is still being made). */
  VideoNotReady = 'VIDEO_NOT_READY',
  /** Burn-in or a preview asked for a language with no captions. */
  NoCaptionsYet = 'NO_CAPTIONS_YET',
  /** A machine transcript asked of a server without a speech-to-text engine. */
  NoSpeechEngine = 'NO_SPEECH_ENGINE',
  /** Someone else changed the item first; `figures.status` is where it is now. */
  StateChanged = 'STATE_CHANGED',
  /** The item's state does not allow this action; `figures.status` says which state it is in. */
  NotAllowedInState = 'NOT_ALLOWED_IN_STATE',
  /** The item's consent is withdrawn: nothing more may be done with it. */
  ItemWithdrawn = 'ITEM_WITHDRAWN',
  /** Approving one's own upload, whatever the role. */
  OwnUpload = 'OWN_UPLOAD',
  /**
   * Approving a video whose publish rendition (the file the Page receives) is still being made: the item
   * reaches review with its light review copy first. Approve again once it is ready.
   */
  PublishRenditionNotReady = 'PUBLISH_RENDITION_NOT_READY',
  /** A decision that needs a note (changes requested, rejected) came without one. */
  NoteRequired = 'NOTE_REQUIRED',
  /** Not every person shown has an active consent covering the Page; `problems` lists each gap. */
  ConsentMissing = 'CONSENT_MISSING',
  /** Consent asks for a blurred face, altered voice, withheld name or no showing, and the editor did not confirm it. */
  DisguiseNotConfirmed = 'DISGUISE_NOT_CONFIRMED',
  /** A minor may never be fully identifiable. */
  MinorFullyIdentifiable = 'MINOR_FULLY_IDENTIFIABLE',
  /** A minor's consent needs the guardian and the child's own assent. */
  GuardianRequired = 'GUARDIAN_REQUIRED',
  /** Consent asked to last longer than the configured maximum; `figures.maxMonths`. */
  ConsentTooLong = 'CONSENT_TOO_LONG',
  /** Consent evidence must be an image, audio or video. */
  EvidenceNotMedia = 'EVIDENCE_NOT_MEDIA',
  /** Consent evidence over the size limit; `figures.limitMb`. */
  EvidenceTooLarge = 'EVIDENCE_TOO_LARGE',
  /** The consent record was already withdrawn. */
  ConsentAlreadyWithdrawn = 'CONSENT_ALREADY_WITHDRAWN',
  /** A corrected file is taken only while changes are requested, and must differ from the current one. */
  RevisionNotExpected = 'REVISION_NOT_EXPECTED',
  /** No Facebook Page is connected: an admin connects one first. */
  PageNotConnected = 'PAGE_NOT_CONNECTED',
  /** Meta refused the token (expired, revoked, mistyped); `figures.metaCode`. */
  PageTokenInvalid = 'PAGE_TOKEN_INVALID',
  /** A person's (user) token where a Page token belongs; `figures.type`. */
  PageTokenWrongType = 'PAGE_TOKEN_WRONG_TYPE',
  /** A Page token of another Page; `figures.tokenPageId`. */
  PageTokenOtherPage = 'PAGE_TOKEN_OTHER_PAGE',
  /** The token lacks permissions publishing needs; `figures.missing`. */
  PageTokenMissingPermissions = 'PAGE_TOKEN_MISSING_PERMISSIONS',
  /** A publication time that has passed; offer to publish now. */
  ScheduleInPast = 'SCHEDULE_IN_PAST',
  /** Less than `figures.minMinutes` ahead; offer to publish now. */
  ScheduleTooSoon = 'SCHEDULE_TOO_SOON',
  /** More than `figures.maxDays` ahead. */
  ScheduleTooFar = 'SCHEDULE_TOO_FAR',
  /** The item already has a live publication; `figures.publicationId`. */
  AlreadyScheduled = 'ALREADY_SCHEDULED',
  /** Facebook holds this scheduled post: cancel it and schedule again to change it. */
  HandedToFacebook = 'HANDED_TO_FACEBOOK',
  /** A screening dated after today (Phnom Penh). */
  ScreeningInFuture = 'SCREENING_IN_FUTURE',
  /** A screening dated before the campaign began; `figures.campaignStart`. */
  ScreeningBeforeCampaign = 'SCREENING_BEFORE_CAMPAIGN',
  /** A negative or absurd attendance; `figures.max`. */
  AttendanceOutOfRange = 'ATTENDANCE_OUT_OF_RANGE',
  /** One person's key twice in one register. */
  DuplicateAttendee = 'DUPLICATE_ATTENDEE',
  /** A screening names an item that was never published; `figures.testimonyIds`. */
  ItemNotPublished = 'ITEM_NOT_PUBLISHED',
  /** A lead verifying a screening they recorded themselves. */
  OwnScreening = 'OWN_SCREENING',
  /** A state-changing request carried the session cookie but came from another site's page. */
  CsrfOriginMismatch = 'CSRF_ORIGIN_MISMATCH',
  /** The person must choose a new password before doing anything else. */
  PasswordChangeRequired = 'PASSWORD_CHANGE_REQUIRED',
  /** Too many requests of one kind from one person in a short time. */
  RateLimited = 'RATE_LIMITED',
  /** Upload refusals: the details, the consent box, the size, the file's real type, the protocol. */
  UploadInvalidDetails = 'UPLOAD_INVALID_DETAILS',
  UploadConsentRequired = 'UPLOAD_CONSENT_REQUIRED',
  /** Over the kind's limit; `figures.limitMb`, `figures.kind`. */
  UploadTooLarge = 'UPLOAD_TOO_LARGE',
  UploadLengthRequired = 'UPLOAD_LENGTH_REQUIRED',
  UploadNotMedia = 'UPLOAD_NOT_MEDIA',
  /** A photo sent as a video or the reverse; `figures.actual`, `figures.declared`. */
  UploadWrongKind = 'UPLOAD_WRONG_KIND',
  UploadNotFound = 'UPLOAD_NOT_FOUND',
  UploadOutOfStep = 'UPLOAD_OUT_OF_STEP',
  UploadProtocol = 'UPLOAD_PROTOCOL',
  /** The person's unfinished uploads already take up their share of the staging disk. */
  UploadQuotaExceeded = 'UPLOAD_QUOTA_EXCEEDED',
  /** A caption file or a set of cues with problems; `problems` lists each with its line and figures. */
  CaptionsInvalid = 'CAPTIONS_INVALID',
  /** Why a media job refused a file, or gave up; the web app words each for the kind of media. */
  MediaNotAVideo = 'MEDIA_NOT_A_VIDEO',
  MediaNoVideoStream = 'MEDIA_NO_VIDEO_STREAM',
  MediaTruncated = 'MEDIA_TRUNCATED',
  MediaZeroDuration = 'MEDIA_ZERO_DURATION',
  /** `figures.durationSeconds`, `figures.limitSeconds`. */
  MediaTooLong = 'MEDIA_TOO_LONG',
  MediaNotAnImage = 'MEDIA_NOT_AN_IMAGE',
  MediaCorruptImage = 'MEDIA_CORRUPT_IMAGE',
  /** `figures.width`, `figures.height`, `figures.limitMegapixels`. */
  MediaTooManyPixels = 'MEDIA_TOO_MANY_PIXELS',
  MediaHeicUnsupported = 'MEDIA_HEIC_UNSUPPORTED',
  MediaUnsupportedFormat = 'MEDIA_UNSUPPORTED_FORMAT',
  /** The stored original is gone: the educator uploads the file again. */
  MediaOriginalMissing = 'MEDIA_ORIGINAL_MISSING',
  /** Retries ran out on a fault that was not the file's (storage, a dying worker): staff look at it. */
  JobGaveUp = 'JOB_GAVE_UP',
  /** A transcript asked of a video with no sound. */
  TaskNoAudio = 'TASK_NO_AUDIO',
  /** The caption version a burn-in asked for was pruned or never existed; `figures.version`. */
  CaptionVersionGone = 'CAPTION_VERSION_GONE',
  /** The speech-to-text engine failed; `figures.fault`. */
  SpeechEngineFailed = 'SPEECH_ENGINE_FAILED',
  Internal = 'INTERNAL_ERROR',
}

/** One of several problems found at once (a caption file's lines, a consent's gaps), with its figures. */
export interface ErrorProblem {
  kind: string;
  message: string;
  line?: number;
  cue?: number;
  values?: Record<string, number | string>;
}

/** The figures a message quotes (a limit, the state found), so the web app can say it in Khmer too. */
export type ErrorFigures = Record<string, string | number | boolean | null | string[]>;

/** A failure the caller can act on: a code for programs, a plain sentence for people. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: HttpStatus,
    readonly headers: Record<string, string> = {},
    readonly figures?: ErrorFigures,
    readonly problems?: ErrorProblem[],
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

  static conflict(code: ErrorCode, message: string, figures?: ErrorFigures): AppError {
    return new AppError(code, message, HttpStatus.CONFLICT, {}, figures);
  }

  static badRequest(code: ErrorCode, message: string, figures?: ErrorFigures): AppError {
    return new AppError(code, message, HttpStatus.BAD_REQUEST, {}, figures);
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

import type { MessageKey, Translate } from '../i18n';
import type { CaptionProblem } from './client';

/** Error body sent by the API: `{ statusCode, error, message, code?, details?, problems?, requestId? }`. */
export interface ApiErrorBody {
  statusCode?: number;
  error?: string;
  message?: string | string[];
  code?: string;
  /** Each problem, one per entry, whenever the server checked item by item (validation, caption files). */
  details?: string[];
  /** The problems of `details` with their kinds and figures, where the feature has them (caption files and cues). */
  problems?: CaptionProblem[];
  /** Numbers and names the message is about (`maxMonths`, `limitMb`, `status`…). */
  figures?: Record<string, unknown>;
  requestId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly body: ApiErrorBody;
  /** Seconds from a Retry-After header, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(status: number, body: ApiErrorBody, retryAfter?: number) {
    super(Array.isArray(body.message) ? body.message.join('; ') : body.message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

/**
 * Unwraps an openapi-fetch result: returns `data` on success, throws an
 * ApiError (with the parsed error body) otherwise.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body: ApiErrorBody =
    error && typeof error === 'object' ? (error as ApiErrorBody) : { message: typeof error === 'string' ? error : undefined };
  throw new ApiError(response.status, body, parseRetryAfter(response.headers.get('Retry-After')));
}

/** Error codes the API sends that have their own plain-language text. */
const CODE_MESSAGES: Record<string, MessageKey> = {
  INVALID_CREDENTIALS: 'errInvalidCredentials',
  ACCOUNT_DEACTIVATED: 'errAccountDeactivated',
  TOO_MANY_ATTEMPTS: 'errTooManyAttempts',
  PASSWORD_TOO_WEAK: 'errPasswordTooWeak',
  USERNAME_TAKEN: 'errUsernameTaken',
  COMMUNE_REQUIRED: 'errCommuneRequired',
  UNKNOWN_COMMUNE: 'errUnknownCommune',
  LAST_ADMIN: 'errLastAdmin',
  AUTH_REQUIRED: 'errSessionEnded',
  SESSION_EXPIRED: 'errSessionEnded',
  INVALID_TOKEN: 'errSessionEnded',
  FORBIDDEN: 'errForbidden',
  NOT_FOUND: 'errNotFound',
  CONFLICT: 'errConflict',
  NOT_A_VIDEO: 'errNotAVideo',
  VIDEO_NOT_READY: 'errVideoNotReady',
  NO_CAPTIONS_YET: 'errNoCaptionsYet',
  NO_SPEECH_ENGINE: 'errNoSpeechEngine',
  DEPENDENCY_UNAVAILABLE: 'errUnavailable',
  WORKER_UNAVAILABLE: 'errUnavailable',
  INTERNAL_ERROR: 'errServer',
  CSRF_ORIGIN_MISMATCH: 'errCsrfOrigin',
  PASSWORD_CHANGE_REQUIRED: 'errPasswordChangeRequired',
  // review gate
  STATE_CHANGED: 'errStateChanged',
  NOT_ALLOWED_IN_STATE: 'errNotAllowedInState',
  ITEM_WITHDRAWN: 'errItemWithdrawn',
  OWN_UPLOAD: 'errOwnUpload',
  PUBLISH_RENDITION_NOT_READY: 'errPublishRenditionNotReady',
  NOTE_REQUIRED: 'errNoteRequired',
  CONSENT_MISSING: 'errConsentMissing',
  DISGUISE_NOT_CONFIRMED: 'errDisguiseNotConfirmed',
  MINOR_FULLY_IDENTIFIABLE: 'errMinorFullyIdentifiable',
  GUARDIAN_REQUIRED: 'errGuardianRequired',
  CONSENT_TOO_LONG: 'errConsentTooLong',
  EVIDENCE_NOT_MEDIA: 'errEvidenceNotMedia',
  EVIDENCE_TOO_LARGE: 'errEvidenceTooLarge',
  CONSENT_ALREADY_WITHDRAWN: 'errConsentAlreadyWithdrawn',
  REVISION_NOT_EXPECTED: 'errRevisionNotExpected',
  // publishing
  PAGE_NOT_CONNECTED: 'errPageNotConnected',
  PAGE_TOKEN_INVALID: 'errPageTokenInvalid',
  PAGE_TOKEN_WRONG_TYPE: 'errPageTokenWrongType',
  PAGE_TOKEN_OTHER_PAGE: 'errPageTokenOtherPage',
  PAGE_TOKEN_MISSING_PERMISSIONS: 'errPageTokenMissingPermissions',
  SCHEDULE_IN_PAST: 'errScheduleInPast',
  SCHEDULE_TOO_SOON: 'errScheduleTooSoon',
  SCHEDULE_TOO_FAR: 'errScheduleTooFar',
  ALREADY_SCHEDULED: 'errAlreadyScheduled',
  HANDED_TO_FACEBOOK: 'errHandedToFacebook',
  // requests a person can fix, and refused files
  VALIDATION_FAILED: 'errValidation',
  MALFORMED_JSON: 'errValidation',
  BODY_TOO_LARGE: 'errBodyTooLarge',
  ROUTE_NOT_FOUND: 'errNotFound',
  CAPTIONS_INVALID: 'errCaptionsInvalid',
  UPLOAD_INVALID_DETAILS: 'uploadErrDetailsPlain',
  UPLOAD_CONSENT_REQUIRED: 'uploadErrConsent',
  UPLOAD_TOO_LARGE: 'uploadErrTooLargeMb',
  UPLOAD_LENGTH_REQUIRED: 'errAppOutdated',
  UPLOAD_PROTOCOL: 'errAppOutdated',
  UPLOAD_NOT_MEDIA: 'uploadErrNotMedia',
  UPLOAD_WRONG_KIND: 'uploadErrWrongKind',
  UPLOAD_NOT_FOUND: 'uploadErrGone',
  UPLOAD_OUT_OF_STEP: 'uploadErrOutOfStep',
  UPLOAD_QUOTA_EXCEEDED: 'uploadErrQuota',
  // why a job failed (processing, caption tasks)
  MEDIA_NOT_A_VIDEO: 'failMediaNotAVideo',
  MEDIA_NO_VIDEO_STREAM: 'failMediaNoVideoStream',
  MEDIA_TRUNCATED: 'failMediaTruncated',
  MEDIA_ZERO_DURATION: 'failMediaZeroDuration',
  MEDIA_TOO_LONG: 'failMediaTooLong',
  MEDIA_NOT_AN_IMAGE: 'failMediaNotAnImage',
  MEDIA_CORRUPT_IMAGE: 'failMediaCorruptImage',
  MEDIA_TOO_MANY_PIXELS: 'failMediaTooManyPixels',
  MEDIA_HEIC_UNSUPPORTED: 'failMediaHeicUnsupported',
  MEDIA_UNSUPPORTED_FORMAT: 'failMediaUnsupportedFormat',
  MEDIA_ORIGINAL_MISSING: 'failMediaOriginalMissing',
  JOB_GAVE_UP: 'failJobGaveUp',
  TASK_NO_AUDIO: 'failTaskNoAudio',
  CAPTION_VERSION_GONE: 'failCaptionVersionGone',
  SPEECH_ENGINE_FAILED: 'failSpeechEngine',
  // reach
  SCREENING_IN_FUTURE: 'errScreeningInFuture',
  SCREENING_BEFORE_CAMPAIGN: 'errScreeningBeforeCampaign',
  ATTENDANCE_OUT_OF_RANGE: 'errAttendanceOutOfRange',
  DUPLICATE_ATTENDEE: 'errDuplicateAttendee',
  ITEM_NOT_PUBLISHED: 'errItemNotPublished',
  OWN_SCREENING: 'errOwnScreening',
};

/** A code of the error model with its figures, in the reader's language; null for a code it does not know. */
export function codeText(code: string | null | undefined, figures: unknown, t: Translate): string | null {
  const key = code ? CODE_MESSAGES[code] : undefined;
  return key ? t(key, figureVars(figures)) : null;
}

const PASSWORD_PROBLEMS: Record<string, MessageKey> = {
  'too-short': 'errPasswordTooWeak',
  'too-long': 'pwTooLong',
  'contains-username': 'pwContainsUsername',
  'same-as-current': 'pwSameAsCurrent',
  guessable: 'pwGuessable',
};

const PASSWORD_HINTS: Record<string, MessageKey> = {
  common: 'pwHintCommon',
  repeated: 'pwHintRepeated',
  pattern: 'pwHintPattern',
  date: 'pwHintDate',
};

/** A refused password, one sentence per problem the server listed, with zxcvbn's hint where it gave one. */
function passwordProblemsText(problems: NonNullable<ApiErrorBody['problems']>, t: Translate): string {
  return problems
    .flatMap((p) => {
      const key = PASSWORD_PROBLEMS[p.kind] ?? 'errPasswordTooWeak';
      const hint = PASSWORD_HINTS[String(p.values?.hint)];
      return [t(key, p.values), ...(hint ? [t(hint)] : [])];
    })
    .join(' ');
}

/** Why the consent records do not allow an approval, one sentence per problem kind. */
const CONSENT_PROBLEMS: Record<string, MessageKey> = {
  no_consent: 'problemNoConsent',
  withdrawn: 'problemWithdrawn',
  expired: 'problemExpired',
  channel_not_agreed: 'problemChannelNotAgreed',
};

function figureVars(values: unknown): Record<string, string | number> {
  const vars: Record<string, string | number> = {};
  if (values && typeof values === 'object') {
    for (const [k, v] of Object.entries(values)) {
      if (typeof v === 'string' || typeof v === 'number') vars[k] = v;
      // Lists of names, such as the permissions a Page token lacks.
      else if (Array.isArray(v)) vars[k] = v.join(', ');
    }
  }
  return vars;
}

function isNetworkError(e: unknown): boolean {
  return (
    e instanceof TypeError ||
    (e instanceof DOMException && (e.name === 'AbortError' || e.name === 'TimeoutError' || e.name === 'NetworkError'))
  );
}

/**
 * Turns anything thrown by an API call into a sentence for the person using
 * the app: known `code`s get translated text, otherwise the server's
 * `message`, otherwise a plain fallback for the status.
 * `overrides` lets a screen give a code a more specific meaning (e.g. on the
 * change-password form INVALID_CREDENTIALS means "current password is wrong").
 */
export function errorText(e: unknown, t: Translate, overrides: Partial<Record<string, MessageKey>> = {}): string {
  if (e instanceof ApiError) {
    const key = (e.code && (overrides[e.code] ?? CODE_MESSAGES[e.code])) || undefined;
    if (key === 'errPasswordTooWeak' && e.body.problems?.length) return passwordProblemsText(e.body.problems, t);
    if (e.code === 'RATE_LIMITED') return t('errRateLimited', { seconds: e.retryAfter ?? 60 });
    if (key === 'errTooManyAttempts') {
      if (e.retryAfter === undefined) return t('errTooManyAttemptsNoTime');
      return t('errTooManyAttempts', { minutes: Math.max(1, Math.ceil(e.retryAfter / 60)) });
    }
    // A request id lets an admin find the failure in the logs.
    const ref = e.status >= 500 && e.body.requestId ? ` (${e.body.requestId})` : '';
    if (key === 'errConsentMissing') {
      const problems = (e.body.problems ?? []).map((p) => {
        const problemKey = CONSENT_PROBLEMS[p.kind];
        return problemKey ? t(problemKey, figureVars(p.values)) : '';
      });
      return [t(key), ...problems.filter(Boolean)].join(' ');
    }
    if (key) return t(key, figureVars(e.body.figures)) + ref;
    if (e.status >= 500) return t('errServer') + ref;
    // Every code the server sends is worded above; a code this version does not know gets a plain
    // sentence in the reader's language rather than the server's English.
    if (e.status === 401) return t('errSessionEnded');
    if (e.status === 403) return t('errForbidden');
    if (e.status === 404) return t('errNotFound');
    if (e.status === 409) return t('errConflict');
    return e.status < 500 ? t('errValidation') : t('errServer');
  }
  if (isNetworkError(e)) return t('errNetwork');
  return t('errUnexpected');
}

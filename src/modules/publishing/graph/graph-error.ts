import { VideoUploadOffsets } from './graph-api.types';
import { parseUsageHeaders, regainAccessMs } from './graph-usage';

/**
 * What a failed Graph call means for the caller:
 * - `transient`: try again later with backoff (nothing was changed, or repeating is harmless);
 * - `throttled`: pause this Page's calls for `retryAfterMs`;
 * - `token`: the Page must be connected again by an admin (`tokenProblem` says why); scheduled items wait;
 * - `permission`: a permission is missing or was removed: also an admin's job;
 * - `policy`: Meta blocked the action (spam or policy); wait, do not hammer;
 * - `bad_request`: this request will never work as it is; show Meta's words (`userTitle`, `userMessage`);
 * - `wrong_offset`: a video chunk was not where Meta expected it; go on from `correctOffsets`;
 * - `outcome_unknown`: the request went out and the answer was lost: it may have happened. Look on the
 *   Page before doing it again.
 */
export type GraphErrorKind = 'transient' | 'throttled' | 'token' | 'permission' | 'policy' | 'bad_request' | 'wrong_offset' | 'outcome_unknown';

export type TokenProblem = 'app_removed' | 'password_changed' | 'expired' | 'invalid' | 'other';

/** The `error` object of a Graph API error answer. */
export interface MetaErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
  error_data?: unknown;
}

const THROTTLE_CODES = new Set([4, 17, 32, 613, 80001]);
const TRANSIENT_CODES = new Set([1, 2, 6000]);
/** Video upload timeouts and hiccups Meta documents as retryable. */
const TRANSIENT_VIDEO_SUBCODES = new Set([1363030, 1363019, 1363033]);
const WRONG_OFFSET_SUBCODE = 1363037;
const TOKEN_PROBLEMS: Record<number, TokenProblem> = { 458: 'app_removed', 460: 'password_changed', 463: 'expired', 467: 'invalid' };
/** When Meta throttles without saying for how long, wait this long before the next try. */
export const DEFAULT_THROTTLE_WAIT_MS = 5 * 60_000;

export function classifyMetaError(httpStatus: number, error: MetaErrorBody): GraphErrorKind {
  const code = error.code ?? 0;
  if (THROTTLE_CODES.has(code)) return 'throttled';
  if (code === 190) return 'token';
  if (code === 10 || (code >= 200 && code <= 299)) return 'permission';
  if (code === 368) return 'policy';
  if (error.error_subcode === WRONG_OFFSET_SUBCODE) return 'wrong_offset';
  if (TRANSIENT_CODES.has(code) || TRANSIENT_VIDEO_SUBCODES.has(error.error_subcode ?? 0) || error.is_transient === true || httpStatus >= 500) {
    return 'transient';
  }
  return 'bad_request';
}

function offsetsFrom(errorData: unknown): VideoUploadOffsets | undefined {
  // Meta has sent error_data both as an object and as a JSON string.
  let data = errorData;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (!data || typeof data !== 'object') return undefined;
  const { start_offset: start, end_offset: end } = data as { start_offset?: unknown; end_offset?: unknown };
  const startOffset = Number(start);
  const endOffset = Number(end);
  return start !== undefined && end !== undefined && Number.isSafeInteger(startOffset) && Number.isSafeInteger(endOffset) ? { startOffset, endOffset } : undefined;
}

export interface GraphErrorDetails {
  httpStatus?: number;
  code?: number;
  subcode?: number;
  type?: string;
  userTitle?: string;
  userMessage?: string;
  fbtraceId?: string;
  retryAfterMs?: number;
  tokenProblem?: TokenProblem;
  correctOffsets?: VideoUploadOffsets;
  cause?: unknown;
}

/** A Graph API failure, classified by Meta's code and subcode (never by its wording). */
export class GraphError extends Error {
  readonly httpStatus?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly type?: string;
  /** Meta's title and sentence meant for the person who made the post: show them to the editor. */
  readonly userTitle?: string;
  readonly userMessage?: string;
  /** Meta's trace id: quote it when asking Meta for help. */
  readonly fbtraceId?: string;
  /** Set on `throttled`: how long to leave this Page alone. */
  readonly retryAfterMs?: number;
  /** Set on `token`. */
  readonly tokenProblem?: TokenProblem;
  /** Set on `wrong_offset`: where Meta wants the upload to go on. */
  readonly correctOffsets?: VideoUploadOffsets;

  constructor(
    readonly kind: GraphErrorKind,
    message: string,
    details: GraphErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GraphError';
    const { cause: _cause, ...rest } = details;
    Object.assign(this, rest);
  }

  /** From an error answer of the Graph API (any non-2xx, or a 2xx with an `error` object). */
  static fromResponse(httpStatus: number, body: unknown, headers: Record<string, string | string[] | undefined> = {}): GraphError {
    const error = (body && typeof body === 'object' && 'error' in body ? (body as { error: MetaErrorBody }).error : undefined) ?? {};
    const kind = error.code === undefined && httpStatus < 500 ? 'bad_request' : classifyMetaError(httpStatus, error);
    const message = error.message ?? `The Graph API answered HTTP ${httpStatus} without an error description.`;
    return new GraphError(kind, message, {
      httpStatus,
      code: error.code,
      subcode: error.error_subcode,
      type: error.type,
      userTitle: error.error_user_title,
      userMessage: error.error_user_msg,
      fbtraceId: error.fbtrace_id,
      retryAfterMs: kind === 'throttled' ? throttleWait(headers) : undefined,
      tokenProblem: kind === 'token' ? (TOKEN_PROBLEMS[error.error_subcode ?? 0] ?? (error.error_subcode ? 'other' : 'invalid')) : undefined,
      correctOffsets: kind === 'wrong_offset' ? offsetsFrom(error.error_data) : undefined,
    });
  }

  /**
   * A request that got no answer. When it may have reached Meta whole (`sent`) and repeating it could
   * change the Page twice (`repeatable` false), its outcome is unknown; otherwise it is worth another try.
   */
  static noAnswer(cause: unknown, sent: boolean, repeatable: boolean): GraphError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return sent && !repeatable
      ? new GraphError('outcome_unknown', `The Graph API did not answer after the request was sent (${reason}); it may have been carried out.`, { cause })
      : new GraphError('transient', `The Graph API could not be reached (${reason}).`, { cause });
  }
}

function throttleWait(headers: Record<string, string | string[] | undefined>): number {
  const regain = regainAccessMs(headers);
  if (regain !== undefined) return regain;
  // X-App-Usage has no time: Meta's app window is a rolling hour, so a full one needs a longer pause.
  const app = parseUsageHeaders(headers).app;
  const full = app && Math.max(app.callCount, app.totalCputime, app.totalTime) >= 100;
  return full ? 2 * DEFAULT_THROTTLE_WAIT_MS : DEFAULT_THROTTLE_WAIT_MS;
}

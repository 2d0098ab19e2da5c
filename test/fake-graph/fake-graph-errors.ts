import { randomBytes } from 'node:crypto';

/** What the fake answers: status, JSON body and headers, or nothing at all for a hang. */
export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeErrorSpec {
  code: number;
  subcode?: number;
  /** HTTP status; by default the one Meta uses for the code. */
  status?: number;
  message?: string;
  type?: string;
  isTransient?: boolean;
  userTitle?: string;
  userMessage?: string;
  errorData?: unknown;
  /** For throttling codes: the wait put in X-Business-Use-Case-Usage. */
  regainAccessMinutes?: number;
}

/** Meta's wording per code, so a switched-on fault looks like the real answer. */
const DEFAULTS: Record<number, { message: string; status: number; type?: string; isTransient?: boolean }> = {
  1: { message: 'An unknown error occurred', status: 500, isTransient: true },
  2: { message: 'An unexpected error has occurred. Please retry your request later.', status: 503, isTransient: true },
  4: { message: '(#4) Application request limit reached', status: 403, isTransient: true },
  10: { message: '(#10) Application does not have permission for this action', status: 403 },
  17: { message: '(#17) User request limit reached', status: 403, isTransient: true },
  32: { message: '(#32) Page request limit reached', status: 403, isTransient: true },
  100: { message: '(#100) Invalid parameter', status: 400 },
  190: { message: 'Error validating access token', status: 400 },
  200: { message: '(#200) Permissions error', status: 403 },
  368: { message: 'The action attempted has been deemed abusive or is otherwise disallowed', status: 400 },
  613: { message: '(#613) Calls to this api have exceeded the rate limit.', status: 400, isTransient: true },
  6000: { message: 'There was a problem uploading your video file. Please try again.', status: 500, isTransient: true },
  80001: { message: "(#80001) There have been too many calls to this Page's account. Wait a bit and try again.", status: 400, isTransient: true },
};

const TOKEN_MESSAGES: Record<number, string> = {
  458: 'Error validating access token: The user has not authorized application.',
  460: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
  463: 'Error validating access token: Session has expired.',
  467: 'Error validating access token: The access token is invalid since the user logged out or changed the session.',
};

export const THROTTLE_CODES = new Set([4, 17, 32, 613, 80001]);

/** A Graph API error answer, shaped as Meta shapes it. */
export function graphError(spec: FakeErrorSpec): FakeAnswer {
  const defaults = DEFAULTS[spec.code] ?? { message: `(#${spec.code}) Error`, status: 400 };
  const message = spec.message ?? (spec.code === 190 && spec.subcode ? TOKEN_MESSAGES[spec.subcode] : undefined) ?? defaults.message;
  const error: Record<string, unknown> = {
    message,
    type: spec.type ?? (spec.code === 190 || spec.code === 100 || spec.code === 200 || spec.code === 10 ? 'OAuthException' : 'GraphMethodException'),
    code: spec.code,
    ...(spec.subcode !== undefined ? { error_subcode: spec.subcode } : {}),
    is_transient: spec.isTransient ?? defaults.isTransient ?? false,
    ...(spec.userTitle ? { error_user_title: spec.userTitle } : {}),
    ...(spec.userMessage ? { error_user_msg: spec.userMessage } : {}),
    ...(spec.errorData !== undefined ? { error_data: spec.errorData } : {}),
    fbtrace_id: randomBytes(8).toString('base64url'),
  };
  return { status: spec.status ?? defaults.status, body: { error } };
}

/** Thrown by handlers; the server answers it. */
export class FakeFailure extends Error {
  constructor(readonly answer: FakeAnswer) {
    super('fake graph failure');
  }
}

export const fail = (spec: FakeErrorSpec): never => {
  throw new FakeFailure(graphError(spec));
};

export const invalidParameter = (message: string, extra: Partial<FakeErrorSpec> = {}): never => fail({ code: 100, message: `(#100) ${message}`, ...extra });

/** Meta's answer for an id it cannot show this token: gone, never there, or not the token's to see. */
export const noSuchObject = (id: string, verb: 'get' | 'post' | 'delete'): never =>
  fail({
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message: `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  });

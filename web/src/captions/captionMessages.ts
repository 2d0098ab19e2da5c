import type { CueWarning } from '../api/client';
import { ApiError } from '../api/errors';
import type { MessageKey, Translate } from '../i18n';
import type { CueProblem } from './cues';

export const PROBLEM_KEYS: Record<CueProblem, MessageKey> = {
  'no-text': 'cueProblemNoText',
  'end-before-start': 'cueProblemEndBeforeStart',
  overlap: 'cueProblemOverlap',
  'past-end': 'cueProblemPastEnd',
};

const WARNING_KEYS: Record<CueWarning['kind'], MessageKey> = {
  lines: 'cueWarnLines',
  'long-line': 'cueWarnLongLine',
  'too-fast': 'cueWarnTooFast',
  'too-short': 'cueWarnTooShort',
  'too-long': 'cueWarnTooLong',
  gap: 'cueWarnGap',
};

/**
 * A reading tip in the reader's language, worded from its kind and figures. The server measures
 * too-long in ms, said here in seconds. A kind newer than this app is shown as the server words it.
 */
export function warningText(warning: CueWarning, t: Translate): string {
  const key = WARNING_KEYS[warning.kind] as MessageKey | undefined;
  if (!key) return warning.message;
  if (warning.kind === 'too-long') return t(key, { value: Math.round(warning.value / 100) / 10, limit: warning.limit / 1000 });
  return t(key, { value: warning.value, limit: warning.limit });
}

/** Every problem of a refused save or import, one per line, or null when the refusal is not a list of problems. */
export function problemLines(e: unknown): string[] | null {
  return e instanceof ApiError && e.body.details ? e.body.details : null;
}

import type { CaptionProblem, CueWarning } from '../api/client';
import { ApiError } from '../api/errors';
import type { Lang, MessageKey, Translate } from '../i18n';
import { formatCueTime, type CueProblem } from './cues';

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

/** Server problems the editor also finds while typing (cueProblems), so both are worded the same. */
const LOCAL_KINDS: Record<string, CueProblem> = {
  'no-text': 'no-text',
  'end-not-after-start': 'end-before-start',
  overlap: 'overlap',
  // The editor's overlap check also covers a cue starting before the one above it.
  'out-of-order': 'overlap',
  'past-end': 'past-end',
};

/** The other server problems; `{max}`, `{count}` and `{found}` are filled from the problem's values. */
const SERVER_KEYS: Record<string, MessageKey> = {
  'not-utf8': 'problemNotUtf8',
  'legacy-khmer': 'problemLegacyKhmer',
  'missing-webvtt-header': 'problemMissingWebvttHeader',
  'bad-time-range': 'problemBadTimeRange',
  'too-many-cues': 'problemTooManyCues',
  'no-cues': 'problemNoCues',
  'invalid-time': 'problemInvalidTime',
  'negative-time': 'problemNegativeTime',
  'text-too-long': 'problemTextTooLong',
};

function problemKey({ kind, values }: CaptionProblem): MessageKey | undefined {
  const local = LOCAL_KINDS[kind] as CueProblem | undefined;
  if (local) return PROBLEM_KEYS[local];
  if (kind === 'too-many-cues' && values?.count !== undefined) return 'problemTooManyCuesCount';
  return SERVER_KEYS[kind];
}

/** "Line 6 · Caption 2 (0:05.000 – 0:04.000)": where the problem is, for whatever the server said. */
function problemPlace({ line, cue, values }: CaptionProblem, t: Translate, lang: Lang): string {
  const times = [values?.startMs, values?.endMs].filter((ms): ms is number => typeof ms === 'number').map((ms) => formatCueTime(ms, lang));
  const cueLabel = cue === undefined ? undefined : times.length > 0 ? `${t('cueNumber', { n: cue })} (${times.join(' – ')})` : t('cueNumber', { n: cue });
  return [line === undefined ? undefined : t('problemLine', { line }), cueLabel].filter(Boolean).join(' · ');
}

/**
 * A refused save's or import's problem in the reader's language, worded from its kind and figures. A kind
 * newer than this app is shown as the server words it (in English, with its own line and cue).
 */
function problemText(problem: CaptionProblem, t: Translate, lang: Lang): string {
  const key = problemKey(problem);
  if (!key) return problem.message;
  const text = t(key, problem.values);
  const place = problemPlace(problem, t, lang);
  return place ? t('problemAt', { place, text }) : text;
}

/** Every problem of a refused save or import, one per line, or null when the refusal is not a list of problems. */
export function problemLines(e: unknown, t: Translate, lang: Lang): string[] | null {
  if (!(e instanceof ApiError)) return null;
  const { problems, details } = e.body;
  if (!problems) return details ?? null;
  const lines = problems.map((problem) => problemText(problem, t, lang));
  // The server lists the first problems only, and says in one more sentence of `details` that there are more.
  return details && details.length > problems.length ? [...lines, t('problemsMore')] : lines;
}

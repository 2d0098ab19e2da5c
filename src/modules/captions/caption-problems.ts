import { HttpStatus } from '@nestjs/common';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { CueProblem } from './caption.types';
import { MAX_CUES } from './formats';

/** The format library words most problems with their line already; the rest get it here when known. */
export function describeProblem(problem: CueProblem): string {
  return problem.line !== undefined && !problem.message.startsWith('Line ') ? `Line ${problem.line}: ${problem.message}` : problem.message;
}

/** Enough to fix a file in one pass; a file broken on every line must not become a multi-megabyte answer. */
const MAX_LISTED = 50;

/**
 * Every problem at once (up to a limit), so the captions can be fixed in one pass rather than one error
 * per try: as sentences in `details`, and with their kinds and figures in `problems` for clients that
 * speak the reader's language.
 */
export function captionsRefused(problems: CueProblem[]): AppError {
  const shown = problems.slice(0, MAX_LISTED);
  const listed = shown.map(describeProblem);
  const rest = problems.length - shown.length;
  return new AppError(
    ErrorCode.CaptionsInvalid,
    [...listed, ...(rest > 0 ? [`…and ${rest.toLocaleString('en')} more problems like these.`] : [])].join(' '),
    HttpStatus.BAD_REQUEST,
    {},
    { count: problems.length, listed: shown.length },
    shown.map((p, i) => ({ ...p, message: listed[i] })),
  );
}

/**
 * Refuses an empty track (clearing captions by accident would publish a video nobody can follow), and
 * gives one clear refusal instead of thousands of per-cue problems when the count alone is absurd.
 */
export function cueCountProblem(count: number): CueProblem | undefined {
  if (count === 0) return { kind: 'no-cues', message: 'There are no cues. Add at least one caption before saving.' };
  if (count <= MAX_CUES) return undefined;
  return { kind: 'too-many-cues', values: { count, max: MAX_CUES }, message: `These captions have ${count.toLocaleString('en')} cues, more than the ${MAX_CUES.toLocaleString('en')} any testimony needs. Check that they are the right ones.` };
}

import type { Cue, CueProblem } from '../caption.types';
import { describeTime } from './timestamp';

/**
 * Messages shared by the parsers and the validator, so that the same fault reads the same wherever it is
 * found (and parseAndValidate can drop the repeat). Cue numbers are 1-based, as people count them.
 */
export const cueMessages = {
  invalidTime: (n: number): CueProblem => ({ kind: 'invalid-time', cue: n, message: `Cue ${n} has a time that is not a valid number. Check its start and end times.` }),
  negativeTime: (n: number): CueProblem => ({ kind: 'negative-time', cue: n, message: `Cue ${n} has a time before the start of the video. Check its start time.` }),
  endNotAfterStart: (n: number, cue: Cue): CueProblem => ({
    kind: 'end-not-after-start',
    cue: n,
    values: { startMs: cue.startMs, endMs: cue.endMs },
    message:
      cue.endMs === cue.startMs
        ? `Cue ${n} (${describeTime(cue.startMs)}) ends at the moment it starts. Check its end time.`
        : `Cue ${n} (${describeTime(cue.startMs)}) ends before it starts. Check its end time.`,
  }),
  noText: (n: number, cue: Cue): CueProblem => ({
    kind: 'no-text',
    cue: n,
    values: { startMs: cue.startMs },
    message: `Cue ${n} (${describeTime(cue.startMs)}) has no text. Type the words or delete the cue.`,
  }),
};

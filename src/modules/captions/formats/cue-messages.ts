import type { Cue } from '../caption.types';
import { describeTime } from './timestamp';

/**
 * Messages shared by the parsers and the validator, so that the same fault reads the same wherever it is
 * found (and parseAndValidate can drop the repeat). Cue numbers are 1-based, as people count them.
 */
export const cueMessages = {
  invalidTime: (n: number) => `Cue ${n} has a time that is not a valid number. Check its start and end times.`,
  negativeTime: (n: number) => `Cue ${n} has a time before the start of the video. Check its start time.`,
  endNotAfterStart: (n: number, cue: Cue) =>
    cue.endMs === cue.startMs
      ? `Cue ${n} (${describeTime(cue.startMs)}) ends at the moment it starts. Check its end time.`
      : `Cue ${n} (${describeTime(cue.startMs)}) ends before it starts. Check its end time.`,
  noText: (n: number, cue: Cue) => `Cue ${n} (${describeTime(cue.startMs)}) has no text. Type the words or delete the cue.`,
};

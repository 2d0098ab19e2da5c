import type { CueWarning } from '../caption.types';
import type { ParsedCaptions } from './cue-blocks.reader';
import { validateCues, type ValidateCuesOptions } from './cue.validator';
import { parseSrt } from './srt.format';
import { parseVtt } from './vtt.format';

export type ParseAndValidateOptions = Omit<ValidateCuesOptions, 'cueLines'>;
export type CheckedCaptions = ParsedCaptions & { warnings: CueWarning[] };

/** The whole import check in one call: the bench times this, the import service calls it. */
export function parseAndValidateSrt(text: string, options: ParseAndValidateOptions = {}): CheckedCaptions {
  return check(parseSrt(text), options);
}

export function parseAndValidateVtt(text: string, options: ParseAndValidateOptions = {}): CheckedCaptions {
  return check(parseVtt(text), options);
}

function check(parsed: ParsedCaptions, options: ParseAndValidateOptions): CheckedCaptions {
  const validation = validateCues(parsed.cues, { ...options, cueLines: parsed.cueLines });
  // The parser already reported "no text" and "ends before it starts" with the same words: keep one.
  const seen = new Set(parsed.problems.map((p) => `${p.cue}|${p.message}`));
  const problems = [...parsed.problems, ...validation.problems.filter((p) => !seen.has(`${p.cue}|${p.message}`))];
  return { cues: parsed.cues, cueLines: parsed.cueLines, problems, warnings: validation.warnings };
}

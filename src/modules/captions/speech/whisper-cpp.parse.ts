/** whisper.cpp's JSON output (`-oj`) to cues. Pure, tested against the documented format. */
import { Cue } from '../caption.types';
import { SpeechEngineError } from './speech-errors';

/** The part of whisper.cpp's `-oj` file we read; `timestamps` repeats `offsets` as text, so we use the numbers. */
export interface WhisperJson {
  transcription?: { offsets?: { from?: number; to?: number }; text?: string }[];
}

export function whisperCues(json: WhisperJson): Cue[] {
  if (!Array.isArray(json.transcription)) throw new SpeechEngineError('bad-output', 'whisper.cpp output has no "transcription" list');
  return json.transcription.flatMap((segment) => {
    // whisper.cpp starts each segment with the space that separated it from the previous token.
    const text = (segment.text ?? '').trim();
    const { from, to } = segment.offsets ?? {};
    if (!text || typeof from !== 'number' || typeof to !== 'number' || to <= from) return [];
    return [{ startMs: Math.round(from), endMs: Math.round(to), text }];
  });
}

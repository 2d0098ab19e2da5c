import type { CaptionFormat } from '../caption.types';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Writes a time in the notation each format expects. SRT uses a comma, VTT a dot, ASS centiseconds with
 * a one-digit hour. Bad input (NaN, negative) is written as zero so a writer never emits "NaN:..";
 * the validator is what refuses such cues.
 */
export function formatTimestamp(ms: number, format: CaptionFormat): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0;
  if (format === 'ass') {
    const cs = Math.round(total / 10);
    const h = Math.floor(cs / 360_000);
    return `${h}:${pad(Math.floor(cs / 6000) % 60, 2)}:${pad(Math.floor(cs / 100) % 60, 2)}.${pad(cs % 100, 2)}`;
  }
  const h = Math.floor(total / 3_600_000);
  const clock = `${pad(h, 2)}:${pad(Math.floor(total / 60_000) % 60, 2)}:${pad(Math.floor(total / 1000) % 60, 2)}`;
  return `${clock}${format === 'srt' ? ',' : '.'}${pad(total % 1000, 3)}`;
}

// Hours optional (VTT allows "01:02.500"), "," or "." before the fraction: files from Windows tools mix both.
const TIMESTAMP = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})$/;

/** Reads an SRT or VTT timestamp; undefined when it is not one. */
export function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const minutes = Number(m[2]);
  const seconds = Number(m[3]);
  if (minutes > 59 || seconds > 59) return undefined;
  // "1,5" means half a second, not 5 ms: pad the fraction on the right.
  const fraction = Number(m[4].padEnd(3, '0'));
  return (Number(m[1] ?? 0) * 3600 + minutes * 60 + seconds) * 1000 + fraction;
}

const TIMING_LINE = /^\s*(\S+)\s*-->\s*([^\s]+)(?:\s+.*)?$/;

/** Splits "start --> end [settings]"; settings (VTT positioning, SRT coordinates) are ignored on purpose. */
export function parseTimingLine(line: string): { startMs?: number; endMs?: number } | undefined {
  const m = TIMING_LINE.exec(line);
  if (!m) return undefined;
  return { startMs: parseTimestamp(m[1]), endMs: parseTimestamp(m[2]) };
}

/** Times in messages people read: always the VTT form, which is what the editor shows. */
export const describeTime = (ms: number): string => formatTimestamp(ms, 'vtt');

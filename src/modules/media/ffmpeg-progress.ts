/**
 * Parses ffmpeg's `-progress` output: blocks of `key=value` lines, each ended by `progress=continue|end`.
 * Pure, so the runner only moves bytes and timers.
 */
export class ProgressParser {
  private buffered = '';

  constructor(
    private readonly durationMs: number | undefined,
    private readonly onPercent: (percent: number) => void,
  ) {}

  /** Feeds a chunk of stdout; returns how many complete lines it held (the runner's sign of life). */
  push(chunk: string): number {
    const lines = (this.buffered + chunk).split('\n');
    this.buffered = lines.pop() ?? '';
    for (const line of lines) this.readLine(line.trim());
    return lines.length;
  }

  private readLine(line: string): void {
    const [key, value] = line.split('=', 2);
    if (key === 'progress' && value === 'end') this.onPercent(100);
    else if (key === 'out_time_us') {
      const percent = progressPercent(Number(value), this.durationMs);
      if (percent !== null) this.onPercent(percent);
    }
  }
}

/** out_time_us is 'N/A' or negative before the first frame; never report 100 before ffmpeg says 'end'. */
export function progressPercent(outTimeUs: number, durationMs: number | undefined): number | null {
  if (!durationMs || durationMs <= 0 || !Number.isFinite(outTimeUs) || outTimeUs < 0) return null;
  return Math.min(99, Math.floor(outTimeUs / 1000 / durationMs * 100));
}

/**
 * Parses ffmpeg's `-progress` output: blocks of `key=value` lines, each ended by `progress=continue|end`.
 * Pure, so the runner only moves bytes and timers.
 */
export class ProgressParser {
  private buffered = '';
  private furthestUs: number | null = null;

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

  /** How far the outputs got, in ms: what ffmpeg last reported. */
  get outputMs(): number | null {
    return this.furthestUs === null ? null : this.furthestUs / 1000;
  }

  private readLine(line: string): void {
    const [key, value] = line.split('=', 2);
    if (key === 'progress' && value === 'end') this.onPercent(100);
    else if (key === 'out_time_us') {
      const outTimeUs = Number(value);
      if (Number.isFinite(outTimeUs) && outTimeUs >= 0) this.furthestUs = Math.max(this.furthestUs ?? 0, outTimeUs);
      const percent = progressPercent(outTimeUs, this.durationMs);
      if (percent !== null) this.onPercent(percent);
    }
  }
}

/** out_time_us is 'N/A' or negative before the first frame; never report 100 before ffmpeg says 'end'. */
export function progressPercent(outTimeUs: number, durationMs: number | undefined): number | null {
  if (!durationMs || durationMs <= 0 || !Number.isFinite(outTimeUs) || outTimeUs < 0) return null;
  return Math.min(99, Math.floor(outTimeUs / 1000 / durationMs * 100));
}

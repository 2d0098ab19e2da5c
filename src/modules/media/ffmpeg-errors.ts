/** Why an ffmpeg/ffprobe run was killed or failed. These are operational faults (retry may help), unlike MediaRejectedError. */

export class FfmpegTimeoutError extends Error {
  constructor(
    /** 'timeout': the whole run took too long; 'stall': no progress for too long (a hung ffmpeg). */
    readonly reason: 'timeout' | 'stall',
    readonly seconds: number,
    readonly stderrTail: string[],
  ) {
    super(reason === 'timeout' ? `ffmpeg ran longer than ${seconds} s and was killed` : `ffmpeg made no progress for ${seconds} s and was killed`);
    this.name = 'FfmpegTimeoutError';
  }
}

export class FfmpegFailedError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    /** The last lines ffmpeg wrote to stderr: the reason is almost always there. */
    readonly stderrTail: string[],
  ) {
    super(`ffmpeg failed (${signal ?? `exit code ${exitCode}`}): ${stderrTail.slice(-3).join(' | ') || 'no output'}`);
    this.name = 'FfmpegFailedError';
  }
}

export class FfmpegCancelledError extends Error {
  constructor() {
    super('ffmpeg was cancelled');
    this.name = 'FfmpegCancelledError';
  }
}

import { spawn } from 'node:child_process';
import { SpeechEngineError } from './speech-errors';

const STDERR_TAIL_LINES = 20;

export interface EngineRun {
  timeoutSeconds: number;
  signal?: AbortSignal;
}

/**
 * Runs a speech engine CLI to completion. Like the ffmpeg runner: its own process group (whisper.cpp
 * starts threads, a wrapper script may start children) killed whole on timeout or cancel, so a hung
 * transcription never holds a worker for ever. Only the stderr tail is kept, for the error message.
 */
export function runEngine(binary: string, args: string[], { timeoutSeconds, signal }: EngineRun): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SpeechEngineError('cancelled', `${binary} was cancelled`));
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    const tail: string[] = [];
    let killedBy: SpeechEngineError | undefined;
    const kill = (reason: SpeechEngineError) => {
      killedBy ??= reason;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // the group is already gone
      }
    };
    const timer = setTimeout(() => kill(new SpeechEngineError('timeout', `${binary} ran longer than ${timeoutSeconds} s and was killed`, tail)), timeoutSeconds * 1000);
    const onAbort = () => kill(new SpeechEngineError('cancelled', `${binary} was cancelled`, tail));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      tail.push(...chunk.split('\n').map((line) => line.trim()).filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - STDERR_TAIL_LINES));
    });
    const settle = (error?: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    child.once('error', (error) => settle(killedBy ?? new SpeechEngineError('failed', `${binary} could not start: ${error.message}`)));
    child.once('close', (code, exitSignal) => {
      if (killedBy) settle(killedBy);
      else if (code === 0) settle();
      else settle(new SpeechEngineError('failed', `${binary} failed (${exitSignal ?? `exit code ${code}`}): ${tail.slice(-3).join(' | ') || 'no output'}`, tail));
    });
  });
}

import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaCommandRunner } from '../../media/media.ports';
import { escapeFilterValue } from '../burn-in/burn-in.args';
import { Cue } from '../caption.types';
import { parseSilences, speechCues } from './speech-segments.parse';

/** silencedetect settings: quieter than -35 dB for 0.4 s is a pause between phrases in a phone recording. */
const SILENCE_FILTER = 'silencedetect=noise=-35dB:d=0.4';

export interface SegmentOptions {
  /** The video's duration (from the probe): a silence still open at the end lasts until here. */
  durationMs: number;
  signal?: AbortSignal;
}

/** Proposes cue timings from where people speak, so a captioner only types the words. */
export abstract class SpeechSegmenter {
  /** Empty cues (text '') over the speech in `video`; none for a video without audio. */
  abstract segments(video: string, options: SegmentOptions): Promise<Cue[]>;
}

@Injectable()
export class SilenceSpeechSegmenter implements SpeechSegmenter {
  constructor(private readonly runner: MediaCommandRunner) {}

  async segments(video: string, { durationMs, signal }: SegmentOptions): Promise<Cue[]> {
    if (!(await videoHasAudio(this.runner, video, signal))) return [];
    // The runner keeps only the tail of stderr, where silencedetect logs; ametadata writes the
    // same events, every one of them, to a file of our own.
    const eventsFile = join(tmpdir(), `silences-${randomUUID()}.txt`);
    try {
      const filter = `${SILENCE_FILTER},ametadata=mode=print:file=${escapeFilterValue(eventsFile)}`;
      await this.runner.ffmpeg(['-i', video, '-map', '0:a:0', '-af', filter, '-f', 'null', '-'], { durationMs, signal });
      // ametadata creates the file even when there is no silence at all, so a missing file is a real fault.
      return speechCues(parseSilences(await readFile(eventsFile, 'utf8'), durationMs), durationMs);
    } finally {
      await rm(eventsFile, { force: true });
    }
  }
}

/** Whether `video` has a sound track at all: a silent clip has nothing to time or transcribe. */
export async function videoHasAudio(runner: MediaCommandRunner, video: string, signal?: AbortSignal): Promise<boolean> {
  const streams = await runner.ffprobe(['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=index', '-of', 'csv=p=0', video], signal);
  return streams.trim().length > 0;
}

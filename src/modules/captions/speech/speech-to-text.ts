import { Injectable } from '@nestjs/common';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../../config/app-config';
import { MediaCommandRunner } from '../../media/media.ports';
import { CaptionLanguage, Cue } from '../caption.types';
import { runEngine } from './run-engine';
import { SpeechEngineError } from './speech-errors';
import { whisperCues } from './whisper-cpp.parse';

/**
 * Machine transcription, optional: no speech model ships with the app (the operator installs one),
 * and Whisper's Khmer is weak, so its cues are a draft a person corrects, never a replacement.
 */
export abstract class SpeechToText {
  /** 'none' when no engine is configured, so the API can say so rather than show an empty draft. */
  abstract readonly engineName: string;
  abstract readonly available: boolean;
  /** Cues for a 16 kHz mono 16-bit WAV (see `extractSpeechAudio`). The language is always explicit. */
  abstract transcribe(audioWav16kMono: string, language: CaptionLanguage, signal?: AbortSignal): Promise<Cue[]>;
}

@Injectable()
export class NoSpeechToText implements SpeechToText {
  readonly engineName = 'none';
  readonly available = false;

  async transcribe(): Promise<Cue[]> {
    return [];
  }
}

/** whisper.cpp's `whisper-cli`, run as a child process; its `-oj` JSON file is the output we read. */
export class WhisperCppSpeechToText implements SpeechToText {
  readonly engineName = 'whisper.cpp';
  readonly available = true;

  constructor(
    private readonly binaryPath: string,
    private readonly modelPath: string,
    /** A CPU transcription runs near real time for the small models: an hour covers any testimony. */
    private readonly timeoutSeconds = 3600,
  ) {}

  async transcribe(audioWav16kMono: string, language: CaptionLanguage, signal?: AbortSignal): Promise<Cue[]> {
    await mustExist(this.binaryPath, 'whisper.cpp binary', constants.X_OK);
    await mustExist(this.modelPath, 'whisper.cpp model', constants.R_OK);
    const outDir = await mkdtemp(join(tmpdir(), 'whisper-'));
    try {
      const outBase = join(outDir, 'transcript');
      // Without -l whisper guesses the language, and it guesses Khmer speech wrong.
      const args = ['-m', this.modelPath, '-l', language, '-oj', '-of', outBase, '-f', audioWav16kMono];
      await runEngine(this.binaryPath, args, { timeoutSeconds: this.timeoutSeconds, signal });
      return whisperCues(await readJson(`${outBase}.json`));
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }
}

/**
 * The engine the config names. whisper.cpp's files are checked here, so a worker with a wrong path
 * refuses to start with the path in the message instead of failing every transcript later.
 */
export async function speechToTextFromConfig(speech: AppConfig['speech']): Promise<SpeechToText> {
  if (speech.engine === 'none') return new NoSpeechToText();
  const binary = speech.whisperBinary!;
  const model = speech.whisperModel!;
  try {
    await mustExist(binary, 'WHISPER_CPP_BINARY: the whisper.cpp binary', constants.X_OK);
    await mustExist(model, 'WHISPER_CPP_MODEL: the whisper.cpp model', constants.R_OK);
  } catch (error) {
    throw new Error(`SPEECH_ENGINE is whisper.cpp, but ${(error as Error).message}. Fix the path in the environment, or set SPEECH_ENGINE=none.`);
  }
  return new WhisperCppSpeechToText(binary, model, speech.timeoutSeconds);
}

/** The first audio track as whisper.cpp wants it: 16 kHz, mono, 16-bit PCM WAV. */
export async function extractSpeechAudio(runner: MediaCommandRunner, video: string, wavPath: string, signal?: AbortSignal): Promise<void> {
  await runner.ffmpeg(['-i', video, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav', '-y', wavPath], { signal });
}

async function mustExist(path: string, what: string, mode: number): Promise<void> {
  try {
    await access(path, mode);
  } catch {
    throw new SpeechEngineError('missing-file', `${what} not found or not usable at ${path}`);
  }
}

async function readJson(path: string): Promise<Parameters<typeof whisperCues>[0]> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new SpeechEngineError('bad-output', `whisper.cpp wrote no readable JSON at ${path}: ${(error as Error).message}`);
  }
}

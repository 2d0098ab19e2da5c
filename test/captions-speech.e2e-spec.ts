import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MediaCommandRunner } from '../src/modules/media/media.ports';
import { SpeechEngineError } from '../src/modules/captions/speech/speech-errors';
import { SpeechSegmenter } from '../src/modules/captions/speech/speech-segments';
import { extractSpeechAudio, speechToTextFromConfig, SpeechToText, WhisperCppSpeechToText } from '../src/modules/captions/speech/speech-to-text';
import { captionMediaServices, installFakeWhisper, SPOKEN_AT, spokenClip } from './support/caption-fixtures';
import { ffmpeg, ffprobeJson, mediaWorkDir, videoFixtures } from './support/media-fixtures';



describe('captions: speech segments and speech to text', () => {
  let dir: string;
  let segmenter: SpeechSegmenter;
  let speechToText: SpeechToText;
  let runner: MediaCommandRunner;

  beforeAll(async () => {
    dir = mediaWorkDir();
    ({ segmenter, speechToText, runner } = await captionMediaServices());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('proposes empty cues where the speech is, ignoring a short blip', async () => {
    const cues = await segmenter.segments(spokenClip(dir), { durationMs: 6000 });
    expect(cues.map((c) => c.text)).toEqual(['', '']);
    const expected = SPOKEN_AT;
    cues.forEach((cue, i) => {
      expect(Math.abs(cue.startMs - expected[i][0])).toBeLessThanOrEqual(150);
      expect(Math.abs(cue.endMs - expected[i][1])).toBeLessThanOrEqual(150);
    });
  });

  it('proposes nothing for a video without audio', async () => {
    await expect(segmenter.segments(videoFixtures.noAudio(dir), { durationMs: 2000 })).resolves.toEqual([]);
  });

  it('extracts the audio as 16 kHz mono 16-bit WAV for whisper.cpp', async () => {
    const wav = join(dir, 'speech.wav');
    await extractSpeechAudio(runner, videoFixtures.phoneClip(dir), wav);
    const [audio] = ffprobeJson(wav).streams as unknown as { codec_name: string; sample_rate: string; channels: number }[];
    expect(audio).toMatchObject({ codec_name: 'pcm_s16le', sample_rate: '16000', channels: 1 });
  });

  it('has no engine unless the operator configures one', () => {
    expect(speechToText).toMatchObject({ engineName: 'none', available: false });
  });

  describe('whisper.cpp adapter (against a fake whisper-cli with the real interface)', () => {
    let binary: string;
    let model: string;
    let wav: string;

    beforeAll(() => {
      ({ binary, model } = installFakeWhisper(dir));
      wav = join(dir, 'in.wav');
      ffmpeg('-f', 'lavfi', '-i', 'sine=duration=1', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', wav);
    });

    it('passes the language and reads the documented JSON: offsets in ms, spaces trimmed, empty segments dropped', async () => {
      const cues = await new WhisperCppSpeechToText(binary, model).transcribe(wav, 'km');
      expect(cues).toEqual([
        { startMs: 0, endMs: 2500, text: 'ខ្ញុំទៅធ្វើការ (km)' },
        { startMs: 2900, endMs: 5120, text: 'នៅថៃ' },
      ]);
    });

    it('keeps a worker configured with a wrong path from starting, naming the variable and the path', async () => {
      const missing = join(dir, 'no-such-whisper');
      await expect(speechToTextFromConfig({ engine: 'whisper.cpp', whisperBinary: missing, whisperModel: model, timeoutSeconds: 60 })).rejects.toThrow(
        new RegExp(`WHISPER_CPP_BINARY.*${missing}.*SPEECH_ENGINE=none`),
      );
      await expect(speechToTextFromConfig({ engine: 'whisper.cpp', whisperBinary: binary, whisperModel: join(dir, 'none.bin'), timeoutSeconds: 60 })).rejects.toThrow(
        /WHISPER_CPP_MODEL.*none\.bin/,
      );
      const engine = await speechToTextFromConfig({ engine: 'whisper.cpp', whisperBinary: binary, whisperModel: model, timeoutSeconds: 60 });
      expect(engine).toMatchObject({ engineName: 'whisper.cpp', available: true });
      expect(await engine.transcribe(wav, 'en')).toEqual(expect.arrayContaining([expect.objectContaining({ text: 'ខ្ញុំទៅធ្វើការ (en)' })]));
    });

    it('names the missing binary or model', async () => {
      const missing = join(dir, 'no-such-whisper');
      await expect(new WhisperCppSpeechToText(missing, model).transcribe(wav, 'km')).rejects.toThrow(missing);
      await expect(new WhisperCppSpeechToText(binary, join(dir, 'no-model.bin')).transcribe(wav, 'km')).rejects.toThrow(/model not found.*no-model\.bin/);
    });

    it('kills an engine that runs past its timeout, and reports a failing one with its stderr', async () => {
      const slow = join(dir, 'slow-whisper');
      writeFileSync(slow, `#!/bin/sh\nsleep 30 &\necho $! > "${dir}/slow.pid"\nwait\n`);
      chmodSync(slow, 0o755);
      const started = Date.now();
      await expect(new WhisperCppSpeechToText(slow, model, 1).transcribe(wav, 'km')).rejects.toMatchObject({ fault: 'timeout' });
      expect(Date.now() - started).toBeLessThan(5000);
      const sleeper = Number(readFileSync(join(dir, 'slow.pid'), 'utf8'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(isAlive(sleeper)).toBe(false); // its child died with it

      const failing = new WhisperCppSpeechToText(binary, model).transcribe(join(dir, 'no-such.wav'), 'km');
      await expect(failing).rejects.toBeInstanceOf(SpeechEngineError);
      await expect(failing).rejects.toThrow(/no input/);
    });
  });
});

/** A killed process whose parent died lingers as a zombie until the container's init reaps it: that is dead too. */
function isAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
}

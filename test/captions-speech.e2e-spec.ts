import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MediaCommandRunner } from '../src/modules/media/media.ports';
import { SpeechEngineError } from '../src/modules/captions/speech/speech-errors';
import { SpeechSegmenter } from '../src/modules/captions/speech/speech-segments';
import { extractSpeechAudio, SpeechToText, WhisperCppSpeechToText } from '../src/modules/captions/speech/speech-to-text';
import { captionMediaServices } from './support/caption-fixtures';
import { ffmpeg, ffprobeJson, mediaWorkDir, videoFixtures } from './support/media-fixtures';

/** Tone (as "speech") from 1.0 to 2.5 s and from 3.5 to 4.0 s, a 0.15 s blip at 4.6 s, silence elsewhere. */
const SPOKEN = 'between(t,1,2.5)+between(t,3.5,4)+between(t,4.6,4.75)';

/**
 * A stand-in for whisper.cpp's `whisper-cli` that follows its interface: it refuses to run without
 * an explicit `-l`, a model, `-oj`, `-of` and a 16 kHz input, and writes `<of>.json` in the
 * documented format (segments with `timestamps`, `offsets` in ms and text with a leading space).
 */
const FAKE_WHISPER = `#!/bin/sh
while [ $# -gt 0 ]; do
  case "$1" in
    -m) model="$2"; shift 2 ;;
    -l) lang="$2"; shift 2 ;;
    -of) out="$2"; shift 2 ;;
    -f) input="$2"; shift 2 ;;
    -oj) json=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -r "$model" ] || { echo "failed to load model $model" >&2; exit 1; }
case "$lang" in km|en|th) ;; *) echo "no explicit language" >&2; exit 3 ;; esac
[ "$json" = 1 ] && [ -n "$out" ] || { echo "no -oj -of" >&2; exit 4; }
[ -r "$input" ] || { echo "no input" >&2; exit 5; }
cat > "$out.json" <<JSON
{"systeminfo":"fake","model":{"type":"base"},"params":{"model":"$model","language":"$lang"},"result":{"language":"$lang"},
 "transcription":[
  {"timestamps":{"from":"00:00:00,000","to":"00:00:02,500"},"offsets":{"from":0,"to":2500},"text":" ខ្ញុំទៅធ្វើការ ($lang)"},
  {"timestamps":{"from":"00:00:02,500","to":"00:00:02,900"},"offsets":{"from":2500,"to":2900},"text":" "},
  {"timestamps":{"from":"00:00:02,900","to":"00:00:05,120"},"offsets":{"from":2900,"to":5120},"text":" នៅថៃ"}
 ]}
JSON
`;

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

  function toneClip(): string {
    const path = join(dir, 'tones.mp4');
    ffmpeg(
      '-f', 'lavfi', '-i', 'color=c=black:s=320x240:d=6:r=25',
      '-f', 'lavfi', '-i', `aevalsrc='if(${SPOKEN},0.5*sin(2*PI*440*t),0)':s=48000:d=6`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path,
    );
    return path;
  }

  it('proposes empty cues where the speech is, ignoring a short blip', async () => {
    const cues = await segmenter.segments(toneClip(), { durationMs: 6000 });
    expect(cues.map((c) => c.text)).toEqual(['', '']);
    const expected = [[1000, 2500], [3500, 4000]];
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
      binary = join(dir, 'whisper-cli');
      writeFileSync(binary, FAKE_WHISPER);
      chmodSync(binary, 0o755);
      model = join(dir, 'ggml-base.bin');
      writeFileSync(model, 'not a real model');
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

/**
 * What the caption media specs need: a minimal ASS script written inline (independent of the caption
 * format library), plain-colour clips, and a shape comparison of rendered text that does not care where
 * the text sits or how large it is, only what the glyphs look like.
 */
import { Test } from '@nestjs/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { CaptionMediaModule } from '../../src/modules/captions/burn-in/caption-media.module';
import { CaptionBurner } from '../../src/modules/captions/burn-in/caption-burner';
import { SpeechSegmenter } from '../../src/modules/captions/speech/speech-segments';
import { SpeechToText } from '../../src/modules/captions/speech/speech-to-text';
import { AppConfigModule } from '../../src/config/config.module';
import { MediaCommandRunner } from '../../src/modules/media/media.ports';
import { ffmpeg, mediaTestConfig } from './media-fixtures';

export const KHMER_FONT = 'Khmer OS Battambang';
export const KHMER_FONT_FILE = '/usr/share/fonts/truetype/khmeros/KhmerOSbattambang.ttf';
/** Subscript consonants (coeng), a pre-base vowel (ែ) and above/below vowels: what a simple shaper breaks. */
export const KHMER_SAMPLE = 'ស្ត្រី ក្មេង ព្រះ';

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

/** Writes FAKE_WHISPER as an executable in `dir`, with a model file beside it; returns both paths. */
export function installFakeWhisper(dir: string): { binary: string; model: string } {
  const binary = join(dir, 'whisper-cli');
  const model = join(dir, 'ggml-fake.bin');
  writeFileSync(binary, FAKE_WHISPER, { mode: 0o755 });
  writeFileSync(model, 'not a real model');
  return { binary, model };
}

export async function captionMediaServices() {
  const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(mediaTestConfig()), CaptionMediaModule] }).compile();
  return {
    burner: moduleRef.get(CaptionBurner),
    segmenter: moduleRef.get(SpeechSegmenter),
    speechToText: moduleRef.get(SpeechToText),
    runner: moduleRef.get(MediaCommandRunner),
  };
}

export interface AssStyle {
  width: number;
  height: number;
  fontSize?: number;
  /** 1: outline around each glyph; 3: an opaque box behind the line. */
  borderStyle?: 1 | 3;
  outline?: number;
  marginLR?: number;
  marginV?: number;
}

/** One style, bottom-centred, white text with a black outline; `lines` are ASS dialogue texts (use \N to break). */
export function assScript(style: AssStyle, lines: { startMs: number; endMs: number; text: string }[]): string {
  const { width, height, fontSize = 64, borderStyle = 1, outline = 3, marginLR = 60, marginV = 60 } = style;
  const time = (ms: number) => {
    const cs = Math.round(ms / 10);
    return `${Math.floor(cs / 360000)}:${String(Math.floor(cs / 6000) % 60).padStart(2, '0')}:${String(Math.floor(cs / 100) % 60).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
  };
  return [
    '[Script Info]', 'ScriptType: v4.00+', `PlayResX: ${width}`, `PlayResY: ${height}`, 'WrapStyle: 2', 'ScaledBorderAndShadow: yes', '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Default,${KHMER_FONT},${fontSize},&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,0,0,0,0,100,100,0,0,${borderStyle},${outline},0,2,${marginLR},${marginLR},${marginV},1`,
    '', '[Events]', 'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...lines.map((line) => `Dialogue: 0,${time(line.startMs)},${time(line.endMs)},Default,,0,0,0,,${line.text}`),
    '',
  ].join('\n');
}

/** Where spokenClip's "speech" is, in ms; its 0.15 s blip at 4.6 s is too short to count. */
export const SPOKEN_AT = [
  [1000, 2500],
  [3500, 4000],
];

/** A 6 s black clip whose audio is a tone (standing in for speech) at SPOKEN_AT and a short blip, silent elsewhere. */
export function spokenClip(dir: string, size = '320x240'): string {
  const path = join(dir, `spoken-${size}.mp4`);
  const spoken = 'between(t,1,2.5)+between(t,3.5,4)+between(t,4.6,4.75)';
  ffmpeg(
    '-f', 'lavfi', '-i', `color=c=black:s=${size}:d=6:r=25`,
    '-f', 'lavfi', '-i', `aevalsrc='if(${spoken},0.5*sin(2*PI*440*t),0)':s=48000:d=6`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path,
  );
  return path;
}

/** A silent plain-colour H.264 clip (with a tone track when `withAudio`). */
export function colourClip(dir: string, name: string, colour: string, size: string, seconds: number, withAudio = false): string {
  const path = join(dir, name);
  const audio = withAudio ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', 'aac', '-shortest'] : [];
  ffmpeg('-f', 'lavfi', '-i', `color=c=${colour}:s=${size}:d=${seconds}:r=25`, ...audio, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path);
  return path;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Bounding box of the pixels where `inside(value)` holds, in a single-channel image; undefined when none. */
export async function boundingBox(image: string | Buffer, channel: 'luma' | 'alpha', inside: (value: number) => boolean): Promise<Box | undefined> {
  const { data, info } = await singleChannel(image, channel);
  let [left, top, right, bottom] = [info.width, info.height, -1, -1];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (!inside(data[y * info.width + x])) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return right < 0 ? undefined : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

const SHAPE = { width: 480, height: 96 };

/**
 * The glyphs alone (pixels brighter than mid-grey, or opaque), cropped to their bounding box and
 * stretched to one fixed size, as 0/1: two renderings of the same shaped text match here whatever
 * their position and scale, while a rendering with detached subscripts or reordered vowels does not.
 */
export async function glyphShape(image: string | Buffer, channel: 'luma' | 'alpha'): Promise<Uint8Array> {
  const box = await boundingBox(image, channel, (v) => v > 128);
  if (!box) throw new Error('no text found in the image');
  const { data, info } = await singleChannel(image, channel);
  const mask = Buffer.from(data.map((v) => (v > 128 ? 255 : 0)));
  const fitted = await sharp(mask, { raw: { width: info.width, height: info.height, channels: 1 } })
    .extract(box)
    .resize(SHAPE.width, SHAPE.height, { fit: 'fill' })
    .extractChannel(0) // sharp writes a one-channel raw input back out as three channels
    .raw()
    .toBuffer();
  return Uint8Array.from(fitted, (v) => (v > 128 ? 1 : 0));
}

/** Intersection over union of two glyph shapes: 1 is identical, near 0 unrelated. */
export function shapeIoU(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i] & b[i];
    either += a[i] | b[i];
  }
  return either === 0 ? 0 : both / either;
}

/** `text` shaped by Pango + HarfBuzz (sharp's text input): a reference independent of libass. */
export function referenceText(text: string): Promise<Buffer> {
  return sharp({ text: { text, font: KHMER_FONT, fontfile: KHMER_FONT_FILE, dpi: 300, rgba: true } }).png().toBuffer();
}

async function singleChannel(image: string | Buffer, channel: 'luma' | 'alpha') {
  const pipeline = channel === 'alpha' ? sharp(image).ensureAlpha().extractChannel(3) : sharp(image).greyscale();
  return pipeline.raw().toBuffer({ resolveWithObject: true });
}

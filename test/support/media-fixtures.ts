/**
 * Real media made at test time (ffmpeg lavfi sources, sharp), small and short so the media suites
 * stay fast, plus readers for what the assertions need (ffprobe JSON, MP4 box order).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { testEnv } from './test-env';

export function mediaWorkDir(): string {
  return mkdtempSync(join(tmpdir(), 'migra-media-test-'));
}

/** The app config for media tests; `media` overrides go in directly, below the env validation minimums. */
export function mediaTestConfig(media: Partial<AppConfig['media']> = {}): AppConfig {
  const config = loadConfig(testEnv());
  return { ...config, media: { ...config.media, ...media } };
}

export function ffmpeg(...args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', ...args, '-y'], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const PHONE_TAGS = [
  '-movflags', 'use_metadata_tags',
  '-metadata', 'location=+11.5564+104.9282/',
  '-metadata', 'com.apple.quicktime.location.ISO6709=+11.5564+104.9282/',
  '-metadata', 'make=Apple', '-metadata', 'model=iPhone 12',
  '-metadata', 'creation_time=2024-05-01T10:00:00Z',
];
const SINE = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
const AAC = ['-c:a', 'aac', '-b:a', '96k', '-shortest'];
const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30'];

function testsrc(size: string, seconds: number, rate = 30): string[] {
  return ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`];
}

/** Each returns the path of a file it wrote into `dir`. */
export const videoFixtures = {
  /** H.264 1080p30 yuv420p + AAC at a modest bitrate, with the location and device tags a phone writes. */
  phoneClip: (dir: string) =>
    out(dir, 'phone.mp4', [...testsrc('1920x1080', 2), ...SINE, ...H264, '-maxrate', '4M', '-bufsize', '4M', '-pix_fmt', 'yuv420p', ...AAC, ...PHONE_TAGS]),
  /**
   * The phone clip with a cover picture that ffmpeg lists as stream 0: its `udta` box (which holds the
   * cover) moved before the tracks inside `moov`, as some editing apps write it. ffmpeg's own muxer puts
   * it last. The index stays after the media, so moving boxes inside it changes no data offset.
   */
  coverFirst: (dir: string) => {
    const cover = out(dir, 'cover.jpg', ['-f', 'lavfi', '-i', 'color=c=red:size=320x240', '-frames:v', '1']);
    const muxed = out(dir, 'cover-last.mp4', ['-i', videoFixtures.phoneClip(dir), '-i', cover, '-map', '0', '-map', '1', '-c', 'copy', '-disposition:v:1', 'attached_pic']);
    const bytes = readFileSync(muxed);
    const moov = childBoxes(bytes, 0, bytes.length).find((box) => box.type === 'moov')!;
    const inside = childBoxes(bytes, moov.start + 8, moov.end);
    const order = [...inside.filter((box) => box.type === 'mvhd'), ...inside.filter((box) => box.type === 'udta'), ...inside.filter((box) => box.type !== 'mvhd' && box.type !== 'udta')];
    const reordered = Buffer.concat([bytes.subarray(0, moov.start + 8), ...order.map((box) => bytes.subarray(box.start, box.end)), bytes.subarray(moov.end)]);
    return write(dir, 'cover-first.mp4', reordered);
  },
  hevc: (dir: string) => out(dir, 'hevc.mp4', [...testsrc('640x360', 2), ...SINE, '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', ...AAC]),
  /** What a browser's MediaRecorder writes: VP8 and Opus in WebM. */
  browserRecording: (dir: string) =>
    out(dir, 'recording.webm', [...testsrc('640x360', 2), ...SINE, '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k', '-c:a', 'libopus', '-b:a', '64k', '-shortest']),
  /** ffmpeg 5.1 has no -display_rotation; a `rotate` tag on a stream copy becomes the display matrix. */
  portrait: (dir: string) => {
    const landscape = out(dir, 'landscape.mp4', [...testsrc('640x360', 2), ...SINE, ...H264, ...AAC]);
    return out(dir, 'portrait.mp4', ['-i', landscape, '-c', 'copy', '-metadata:s:v', 'rotate=90']);
  },
  /** x264 can only code odd sizes in 4:4:4. */
  oddDimensions: (dir: string) => out(dir, 'odd.mp4', [...testsrc('1081x1921', 2, 15), ...H264, '-pix_fmt', 'yuv444p']),
  /** 30 fps for the first second, then every third frame: r_frame_rate 30, average about 17. */
  variableFrameRate: (dir: string) =>
    out(dir, 'vfr.mp4', [...testsrc('640x360', 3), ...SINE, '-vf', "select='lt(t,1)+not(mod(n,3))'", '-fps_mode', 'vfr', ...H264, ...AAC]),
  tenBit: (dir: string) => out(dir, 'ten-bit.mp4', [...testsrc('640x360', 2), ...SINE, ...H264, '-pix_fmt', 'yuv420p10le', ...AAC]),
  hdr: (dir: string) =>
    out(dir, 'hdr.mp4', [
      ...testsrc('640x360', 2), '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error',
      '-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc', '-tag:v', 'hvc1',
    ]),
  noAudio: (dir: string) => out(dir, 'silent.mp4', [...testsrc('640x360', 2), ...H264, '-pix_fmt', 'yuv420p']),
  audioOnly: (dir: string) => out(dir, 'voice.m4a', [...SINE.slice(0, -1), 'sine=duration=2', ...AAC]),
  zeroDuration: (dir: string) => out(dir, 'empty.mp4', [...testsrc('320x240', 1), '-frames:v', '0', ...H264]),
  /** 3 s of picture that starts 7 s into 10 s of sound, as when a phone starts its microphone first. */
  pictureAfterSound: (dir: string) =>
    out(dir, 'late-picture.mp4', ['-f', 'lavfi', '-i', 'sine=duration=10', ...testsrc('640x360', 3), '-map', '1:v', '-map', '0:a', '-vf', 'setpts=PTS+7/TB', ...H264, '-pix_fmt', 'yuv420p', ...AAC]),
  /** 1 s of black, a 1 s fade in, then the picture: a naive "first frame" poster would be black. */
  blackThenFadeIn: (dir: string) => out(dir, 'fade.mp4', [...testsrc('640x360', 4), '-vf', 'fade=t=in:st=1:d=1', ...H264, '-pix_fmt', 'yuv420p']),
  /** moov at the end (no faststart), cut in half: what an interrupted upload looks like. */
  truncated: (dir: string) => {
    const whole = out(dir, 'whole.mp4', [...testsrc('640x360', 2), ...SINE, ...H264, ...AAC]);
    const bytes = readFileSync(whole);
    return write(dir, 'truncated.mp4', bytes.subarray(0, Math.floor(bytes.length / 2)));
  },
  /** moov first (faststart) but the data cut off: it probes as whole, and only the encode finds out. */
  truncatedFaststart: (dir: string) => {
    const whole = out(dir, 'whole-faststart.mp4', [...testsrc('640x360', 4), ...SINE, ...H264, ...AAC, '-movflags', '+faststart']);
    const bytes = readFileSync(whole);
    return write(dir, 'truncated-faststart.mp4', bytes.subarray(0, Math.floor(bytes.length / 2)));
  },
  textAsVideo: (dir: string) => write(dir, 'notes.mp4', Buffer.from('Meeting notes: call Sokha on Friday.\n')),
  /** An "ffmpeg" that hangs without a word, and leaves a child behind that must die with it. Writes both pids. */
  hangingFfmpeg: (dir: string) => {
    const script = write(dir, 'hanging-ffmpeg.sh', Buffer.from(`#!/bin/sh\nsleep 600 &\necho $$ $! > "${dir}/hanging.pids"\nwait\n`));
    chmodSync(script, 0o755);
    return script;
  },
};

function out(dir: string, name: string, args: string[]): string {
  const path = join(dir, name);
  ffmpeg(...args, path);
  return path;
}

function write(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

export interface ProbedFile {
  format: { tags?: Record<string, string>; duration?: string };
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string; avg_frame_rate?: string; channels?: number; tags?: Record<string, string>; side_data_list?: unknown[] }[];
}

export function ffprobeJson(file: string): ProbedFile {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { encoding: 'utf8' }));
}

/** Top-level MP4 box types in file order, e.g. ['ftyp', 'moov', 'mdat']. */
/** The boxes between `from` and `to`, with their types and where each starts and ends. */
function childBoxes(bytes: Buffer, from: number, to: number): { type: string; start: number; end: number }[] {
  const boxes = [];
  for (let offset = from; offset + 8 <= to; ) {
    let size = bytes.readUInt32BE(offset);
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    boxes.push({ type: bytes.toString('latin1', offset + 4, offset + 8), start: offset, end: offset + size });
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

export function topLevelBoxes(file: string): string[] {
  const bytes = readFileSync(file);
  return childBoxes(bytes, 0, bytes.length).map((box) => box.type);
}


/** Where the red marker sits in the stored (sideways) pixels of the phone photo: its top-left corner. */
export const MARKER = { width: 800, height: 600 };

export const photoFixtures = {
  /**
   * A 12 MP phone photo stored sideways (4032×3024, EXIF orientation 6, so it displays 3024×4032)
   * with the camera's make and a GPS position. A red marker in the stored top-left corner ends up
   * at the top-right once the photo is upright.
   */
  phonePhoto: async (dir: string) => {
    const path = join(dir, 'phone.jpg');
    const marker = await sharp({ create: { ...MARKER, channels: 3, background: '#ff0000' } }).png().toBuffer();
    // Noise so the JPEG has a phone-like size (about 6 MB).
    await sharp({ create: { width: 4032, height: 3024, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 120, sigma: 25 } } })
      .composite([{ input: marker, left: 0, top: 0 }])
      .jpeg({ quality: 90 })
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'Apple', Model: 'iPhone 12' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '11/1 33/1 2303/100', GPSLongitudeRef: 'E', GPSLongitude: '104/1 55/1 4152/100' },
      })
      .toFile(path);
    return path;
  },
  /** A real 1×1 PNG whose header claims 30000×30000 (CRC fixed up): only a header check can refuse it fast. */
  hugePngHeader: async (dir: string) => {
    const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer());
    const ihdrStart = 12; // 8-byte signature, 4-byte length, then "IHDR" and its 13 data bytes
    png.writeUInt32BE(30_000, ihdrStart + 4);
    png.writeUInt32BE(30_000, ihdrStart + 8);
    png.writeUInt32BE(crc32(png.subarray(ihdrStart, ihdrStart + 4 + 13)), ihdrStart + 4 + 13);
    return write(dir, 'huge.png', png);
  },
  truncatedJpeg: async (dir: string) => {
    const jpeg = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } } }).jpeg().toBuffer();
    return write(dir, 'cut.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  },
  /** Whole (its end marker is there) but with its compressed data overwritten in the middle, as a bad copy leaves it. */
  damagedJpeg: async (dir: string) => {
    const jpeg = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } } }).jpeg().toBuffer();
    const middle = Math.floor(jpeg.length / 2);
    for (let i = 0; i < 2000; i++) jpeg[middle + i] = (i * 37) & 0xff;
    return write(dir, 'damaged.jpg', jpeg);
  },
  /** A sound photo with stray bytes before its end marker, as some cameras write: harmless. */
  strayBytesJpeg: async (dir: string) => {
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#406080' } }).jpeg().toBuffer();
    return write(dir, 'stray.jpg', Buffer.concat([jpeg.subarray(0, jpeg.length - 2), Buffer.from([1, 2, 3]), jpeg.subarray(jpeg.length - 2)]));
  },
  textAsJpeg: async (dir: string) => write(dir, 'notes.jpg', Buffer.from('Not a photo, just text.\n')),
  /** The start of an iPhone HEIC: an `ftyp` box with brands heic/mif1 (this libvips cannot decode HEVC stills). */
  heicHeader: async (dir: string) =>
    write(dir, 'IMG_0001.heic', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(512)])),
};

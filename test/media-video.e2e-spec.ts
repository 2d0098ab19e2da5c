import { Test } from '@nestjs/testing';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppConfig } from '../src/config/app-config';
import { AppConfigModule } from '../src/config/config.module';
import { FfmpegCancelledError, FfmpegFailedError, FfmpegTimeoutError } from '../src/modules/media/ffmpeg-errors';
import { MediaModule } from '../src/modules/media/media.module';
import { MediaCommandRunner, VideoProber, VideoRenderer } from '../src/modules/media/media.ports';
import { MediaRejectedError, RejectionCode, RenditionFile, VideoOutputs } from '../src/modules/media/media.types';
import { ffprobeJson, mediaTestConfig, mediaWorkDir, ProbedFile, topLevelBoxes, videoFixtures } from './support/media-fixtures';


const TRACKING_TAGS = ['location', 'location-eng', 'com.apple.quicktime.location.ISO6709', 'creation_time', 'make', 'model'];

async function mediaServices(media: Partial<AppConfig['media']> = {}) {
  const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(mediaTestConfig(media)), MediaModule] }).compile();
  return { prober: moduleRef.get(VideoProber), renderer: moduleRef.get(VideoRenderer) };
}

/** A digest of the first audio track's packets as stored, whatever container holds them. */
function audioPacketsDigest(file: string): string {
  return execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-map', '0:a:0', '-c', 'copy', '-f', 'md5', '-'], { encoding: 'utf8' }).trim();
}

function videoStream(file: ProbedFile) {
  return file.streams.find((s) => s.codec_type === 'video')!;
}

describe('media: video probe and renditions (real ffmpeg)', () => {
  let dir: string;
  let prober: VideoProber;
  let renderer: VideoRenderer;

  beforeAll(async () => {
    dir = mediaWorkDir();
    ({ prober, renderer } = await mediaServices());
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Probes and renders a fixture into its own folder as processing does (the first pass, then the
   * publish rendition when the first pass made only the review copy); checks the promises every output keeps.
   */
  async function render(name: string, input: string): Promise<VideoOutputs & { publish: RenditionFile }> {
    const outDir = join(dir, `${name}-out`);
    mkdirSync(outDir);
    const progress: number[] = [];
    const probe = await prober.probe(input);
    const outputs = await renderer.render(input, probe, outDir, (p) => progress.push(p));

    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // The first pass makes one rendition reviewers can watch: a remux, or else the light review copy.
    expect(outputs.review === null).toBe(outputs.remuxed);
    expect(outputs.publish === null).toBe(!outputs.remuxed);
    expect(readdirSync(outDir).sort()).toEqual(outputs.remuxed ? ['poster.jpg', 'publish.mp4'] : ['poster.jpg', 'review.mp4']);
    if (outputs.review) {
      expect(Math.min(outputs.review.width, outputs.review.height)).toBeLessThanOrEqual(480);
      expect(outputs.poster).toMatchObject({ width: outputs.review.width, height: outputs.review.height });
    }
    const publish = outputs.publish ?? (await renderer.publish(input, probe, outDir));
    for (const file of [publish, outputs.review].filter((f) => f !== null)) {
      const probed = ffprobeJson(file.path);
      const video = videoStream(probed);
      expect(video).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p' });
      expect(video.width! % 2 + video.height! % 2).toBe(0);
      expect(video.side_data_list ?? []).toEqual([]);
      expect(topLevelBoxes(file.path).indexOf('moov')).toBeLessThan(topLevelBoxes(file.path).indexOf('mdat'));
      for (const tags of [probed.format.tags ?? {}, ...probed.streams.map((s) => s.tags ?? {})]) {
        for (const tag of TRACKING_TAGS) expect(tags).not.toHaveProperty(tag);
      }
      expect(probed.format.tags).not.toHaveProperty('encoder');
    }
    return { ...outputs, publish };
  }

  it('remuxes an H.264 1080p30 AAC phone clip, dropping its location and device tags', async () => {
    const input = videoFixtures.phoneClip(dir);
    expect(ffprobeJson(input).format.tags).toHaveProperty('location');
    const outputs = await render('phone-1080p', input);
    expect(outputs.remuxed).toBe(true);
    expect(videoStream(ffprobeJson(outputs.publish.path))).toMatchObject({ width: 1920, height: 1080 });
    expect(ffprobeJson(outputs.publish.path).streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);

    const reviewDir = join(dir, 'phone-1080p-review');
    mkdirSync(reviewDir);
    const review = await renderer.review(outputs.publish.path, await prober.probe(outputs.publish.path), reviewDir);
    expect(Math.min(review.width, review.height)).toBeLessThanOrEqual(480);
    expect(videoStream(ffprobeJson(review.path))).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p' });
  });

  it('renders the clip, not its cover picture, when the cover comes first in the file', async () => {
    const input = videoFixtures.coverFirst(dir);
    expect(ffprobeJson(input).streams.map((s) => s.codec_name)).toEqual(['mjpeg', 'h264', 'aac']);
    const outputs = await render('cover-first', input);
    expect(ffprobeJson(outputs.publish.path).streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(videoStream(ffprobeJson(outputs.publish.path))).toMatchObject({ width: 1920, height: 1080 });
  });

  it('transcodes HEVC to H.264, keeping the phone\'s AAC sound exactly as recorded', async () => {
    const input = videoFixtures.hevc(dir);
    const outputs = await render('hevc', input);
    expect(outputs.remuxed).toBe(false);
    // Copied, not encoded again: the same audio packets, byte for byte, in both renditions.
    for (const file of [outputs.publish.path, outputs.review!.path]) expect(audioPacketsDigest(file)).toBe(audioPacketsDigest(input));
  });

  it('encodes a browser recording\'s Opus sound to AAC, stereo to publish and mono to review', async () => {
    const outputs = await render('webm', videoFixtures.browserRecording(dir));
    expect(outputs.remuxed).toBe(false);
    const audioOf = (file: string) => ffprobeJson(file).streams.find((s) => s.codec_type === 'audio');
    expect(audioOf(outputs.publish.path)).toMatchObject({ codec_name: 'aac', channels: 2 });
    expect(audioOf(outputs.review!.path)).toMatchObject({ codec_name: 'aac', channels: 1 });
  });

  it('bakes the rotation of a portrait phone video into the picture', async () => {
    const input = videoFixtures.portrait(dir);
    const probe = await prober.probe(input);
    expect(probe).toMatchObject({ width: 360, height: 640 });
    expect(probe.rotation).not.toBe(0);
    const outputs = await render('portrait', input);
    expect(videoStream(ffprobeJson(outputs.publish.path))).toMatchObject({ width: 360, height: 640 });
    expect(outputs.poster).toMatchObject({ width: 360, height: 640 });
    expect(await sharp(outputs.poster.path).metadata()).toMatchObject({ width: 360, height: 640 });
  });

  it('makes odd dimensions even and scales to a 1080 short edge', async () => {
    const outputs = await render('odd-1081x1921', videoFixtures.oddDimensions(dir));
    expect(videoStream(ffprobeJson(outputs.publish.path))).toMatchObject({ width: 1080, height: 1920 });
  });

  it('accepts a variable frame rate clip and keeps it at or below 30 fps', async () => {
    const input = videoFixtures.variableFrameRate(dir);
    expect((await prober.probe(input)).variableFrameRate).toBe(true);
    const outputs = await render('vfr', input);
    const [num, den] = videoStream(ffprobeJson(outputs.publish.path)).avg_frame_rate!.split('/').map(Number);
    expect(num / den).toBeLessThanOrEqual(30);
    expect(Number(ffprobeJson(outputs.publish.path).format.duration)).toBeCloseTo(3, 0);
  });

  it('turns 10-bit video into 8-bit yuv420p', async () => {
    const input = videoFixtures.tenBit(dir);
    expect(await prober.probe(input)).toMatchObject({ bitDepth: 10, hdr: false });
    expect((await render('10-bit', input)).remuxed).toBe(false);
  });

  it('tone-maps HDR (PQ) HEVC to SDR BT.709', async () => {
    const input = videoFixtures.hdr(dir);
    expect(await prober.probe(input)).toMatchObject({ hdr: true, bitDepth: 10, audioCodec: null });
    const outputs = await render('hdr', input);
    expect(videoStream(ffprobeJson(outputs.publish.path))).toMatchObject({ color_transfer: 'bt709' });
  });

  it('renders a video without sound with no audio stream', async () => {
    const outputs = await render('no-audio', videoFixtures.noAudio(dir));
    for (const file of [outputs.publish, outputs.review].filter((f) => f !== null)) expect(ffprobeJson(file.path).streams.map((s) => s.codec_type)).toEqual(['video']);
  });

  it('picks a poster after the black start and the fade', async () => {
    const outputs = await render('black-fade', videoFixtures.blackThenFadeIn(dir));
    const { channels } = await sharp(outputs.poster.path).stats();
    expect(channels[0].mean).toBeGreaterThan(60);
    expect(outputs.poster.details.atSeconds).toBeGreaterThanOrEqual(2);
  });

  it('finds a poster when the picture starts seconds after the sound', async () => {
    const outputs = await render('late-picture', videoFixtures.pictureAfterSound(dir));
    const watchable = outputs.review ?? outputs.publish;
    expect(await sharp(outputs.poster.path).metadata()).toMatchObject({ width: watchable.width, height: watchable.height });
    expect(outputs.poster.details.atSeconds).toBeLessThan(3);
  });

  it.each([
    ['an audio-only file', () => videoFixtures.audioOnly(dir), RejectionCode.NoVideoStream, /not just a sound recording/],
    ['a text file named .mp4', () => videoFixtures.textAsVideo(dir), RejectionCode.NotAVideo, /not a video/],
    ['an MP4 cut in half', () => videoFixtures.truncated(dir), RejectionCode.Truncated, /not a complete video/],
    ['a video of zero seconds', () => videoFixtures.zeroDuration(dir), RejectionCode.ZeroDuration, /0 seconds/],
  ])('refuses %s with a message the educator can act on', async (_name, make, code, message) => {
    const rejection = await prober.probe(make()).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(MediaRejectedError);
    expect(rejection).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('refuses an HLS playlist named .mp4 rather than following it to another file on the machine', async () => {
    // ffmpeg would open the playlist's "segment", here another educator's video, and render it as this upload.
    const elsewhere = videoFixtures.noAudio(dir);
    const playlist = join(dir, 'playlist.mp4');
    writeFileSync(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile://${elsewhere}\n#EXT-X-ENDLIST\n`);
    await expect(prober.probe(playlist)).rejects.toMatchObject({ code: RejectionCode.NotAVideo });
  });

  it('refuses an MP4 whose index is whole but whose data was cut off, instead of publishing half of it', async () => {
    const input = videoFixtures.truncatedFaststart(dir);
    const probe = await prober.probe(input);
    expect(probe.durationMs).toBeGreaterThanOrEqual(3900);
    const outDir = join(dir, 'cut-faststart');
    mkdirSync(outDir);
    await expect(renderer.render(input, probe, outDir)).rejects.toMatchObject({ code: RejectionCode.Truncated, message: expect.stringMatching(/not a complete video/) });
  });

  it('refuses a video longer than the configured limit, naming the limit', async () => {
    const { prober: strict } = await mediaServices({ maxDurationSeconds: 1 });
    await expect(strict.probe(videoFixtures.noAudio(dir))).rejects.toMatchObject({ code: RejectionCode.TooLong, message: expect.stringMatching(/limit is 1 seconds/) });
  });

  it('kills an ffmpeg that hangs, and everything it started, after the stall limit', async () => {
    const hanging = videoFixtures.hangingFfmpeg(dir);
    const { prober: realProbe, renderer: stuck } = await mediaServices({ ffmpegPath: hanging, ffmpegStallSeconds: 2 });
    const input = videoFixtures.noAudio(dir);
    const outDir = join(dir, 'hang-out');
    mkdirSync(outDir);
    const started = Date.now();
    await expect(stuck.render(input, await realProbe.probe(input), outDir)).rejects.toBeInstanceOf(FfmpegTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);

    const pids = readFileSync(join(dir, 'hanging.pids'), 'utf8').trim().split(' ').map(Number);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(outDir, 'publish.mp4'))).toBe(false);
  });

  it('stops at once when the job is cancelled, leaving no renditions', async () => {
    const input = videoFixtures.hevc(dir);
    const outDir = join(dir, 'cancel-out');
    mkdirSync(outDir);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(renderer.render(input, await prober.probe(input), outDir, undefined, controller.signal)).rejects.toBeInstanceOf(FfmpegCancelledError);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('fails with the last lines of ffmpeg output when ffmpeg fails', async () => {
    const input = videoFixtures.noAudio(dir);
    const outDir = join(dir, 'missing-out');
    mkdirSync(outDir);
    const probe = await prober.probe(input);
    const failure = await renderer.render(join(dir, 'gone.mp4'), probe, outDir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FfmpegFailedError);
    expect((failure as FfmpegFailedError).stderrTail.join('\n')).toMatch(/No such file/);
  });

  it('keeps the place a phone wrote into the clip out of a failure\'s message', async () => {
    const input = videoFixtures.phoneClip(dir);
    const runner = (await Test.createTestingModule({ imports: [AppConfigModule.forRoot(mediaTestConfig()), MediaModule] }).compile()).get(MediaCommandRunner);
    // ffmpeg reads the input (and would list its tags) before it finds it cannot write the output.
    const failure = await runner.ffmpeg(['-i', input, '-c', 'copy', '-f', 'mp4', join(dir, 'no-such-folder', 'out.mp4')]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FfmpegFailedError);
    const said = [(failure as FfmpegFailedError).message, ...(failure as FfmpegFailedError).stderrTail].join('\n');
    expect(said).toMatch(/No such file/);
    expect(said).not.toMatch(/11\.5564|104\.9282|location/);
  });
});

/** A killed orphan can stay a zombie (state Z) in a container whose init does not reap: that is dead too. */
function isAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
  return state !== undefined && state !== 'Z';
}

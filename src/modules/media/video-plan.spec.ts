import { VideoProbe } from './media.types';
import { bitrateCap, fitShortEdge, planVideo, transcodeReasons } from './video-plan';

const phoneClip: VideoProbe = {
  durationMs: 60_000, width: 1920, height: 1080, rotation: 0, videoCodec: 'h264', pixelFormat: 'yuv420p', bitDepth: 8,
  fps: 30, variableFrameRate: false, bitRate: 5_000_000, hdr: false, audioCodec: 'aac', audioChannels: 2, formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
};

describe('transcode policy', () => {
  it('remuxes a clip that already is what the Page needs, including VFR and silent ones', () => {
    expect(transcodeReasons(phoneClip)).toEqual([]);
    expect(transcodeReasons({ ...phoneClip, variableFrameRate: true, fps: 29.6 })).toEqual([]);
    expect(transcodeReasons({ ...phoneClip, audioCodec: null, audioChannels: null })).toEqual([]);
    expect(transcodeReasons({ ...phoneClip, bitRate: 7_000_000 })).toEqual([]); // within the 25 % slack over 6M
  });

  it.each<[string, Partial<VideoProbe>]>([
    ['video codec hevc', { videoCodec: 'hevc' }],
    ['pixel format yuv420p10le', { pixelFormat: 'yuv420p10le', bitDepth: 10 }],
    ['HDR', { hdr: true }],
    ['rotation 90', { rotation: 90 }],
    ['short edge 2160', { width: 3840, height: 2160 }],
    ['odd dimensions', { width: 1081, height: 1920 }],
    ['60 fps', { fps: 60 }],
    ['bitrate 15000000', { bitRate: 15_000_000 }],
    ['bitrate unknown', { bitRate: null }],
    ['audio opus', { audioCodec: 'opus' }],
    ['audio aac', { audioChannels: 6 }],
  ])('transcodes for %s', (reason, change) => {
    expect(transcodeReasons({ ...phoneClip, ...change })).toContain(reason);
  });

  it('caps the bitrate by resolution', () => {
    expect([360, 480, 720, 1080].map(bitrateCap)).toEqual([1_000_000, 1_500_000, 3_500_000, 6_000_000]);
  });

  it('scales to the short edge, never up, with even sides', () => {
    expect(fitShortEdge({ width: 3840, height: 2160 }, 1080)).toEqual({ width: 1920, height: 1080 });
    expect(fitShortEdge({ width: 1081, height: 1921 }, 1080)).toEqual({ width: 1080, height: 1920 });
    expect(fitShortEdge({ width: 641, height: 361 }, 1080)).toEqual({ width: 642, height: 362 });
    expect(fitShortEdge({ width: 1080, height: 1920 }, 480)).toEqual({ width: 480, height: 854 });
  });

  it('plans a 4K 60 fps HDR clip as 1080p30 SDR with a 480p review', () => {
    const plan = planVideo({ ...phoneClip, width: 2160, height: 3840, fps: 59.94, hdr: true });
    expect(plan).toMatchObject({
      publish: { size: { width: 1080, height: 1920 }, crf: 23, maxrate: 6_000_000, bufsize: 12_000_000, audio: 'copy' },
      review: { size: { width: 480, height: 854 }, crf: 28, maxrate: 800_000, audio: 'copy' },
      fpsCap: 30,
      toneMap: true,
      hasAudio: true,
    });
  });

  it('encodes audio that not every player takes (Opus, surround) to AAC, and copies a phone\'s AAC as it is', () => {
    for (const audio of [{ audioCodec: 'opus', audioChannels: 2 }, { audioCodec: 'aac', audioChannels: 6 }]) {
      expect(planVideo({ ...phoneClip, ...audio })).toMatchObject({ publish: { audio: { bitrate: '128k', channels: 2 } }, review: { audio: { bitrate: '64k', channels: 1 } } });
    }
    expect(planVideo({ ...phoneClip, audioChannels: 1 })).toMatchObject({ publish: { audio: 'copy' }, review: { audio: 'copy' } });
  });
});

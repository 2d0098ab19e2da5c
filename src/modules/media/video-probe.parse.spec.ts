import { RejectionCode } from './media.types';
import { bitDepth, classifyProbeFailure, FfprobeOutput, parseProbe, parseRotation } from './video-probe.parse';

const video = { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, pix_fmt: 'yuv420p', r_frame_rate: '30/1', avg_frame_rate: '30/1', bit_rate: '5000000' };
const probeOf = (streams: FfprobeOutput['streams'], duration = '12.5'): FfprobeOutput => ({ streams, format: { format_name: 'mov,mp4', duration } });

describe('ffprobe output', () => {
  it('reads a phone clip', () => {
    expect(parseProbe(probeOf([video, { codec_type: 'audio', codec_name: 'aac', channels: 2 }]))).toEqual({
      durationMs: 12_500, width: 1920, height: 1080, rotation: 0, videoCodec: 'h264', pixelFormat: 'yuv420p', bitDepth: 8, fps: 30,
      variableFrameRate: false, bitRate: 5_000_000, hdr: false, audioCodec: 'aac', audioChannels: 2, formatName: 'mov,mp4',
    });
  });

  it('reports displayed size for rotated video, HDR, 10-bit and VFR', () => {
    const probe = parseProbe(
      probeOf([{ ...video, pix_fmt: 'yuv420p10le', color_transfer: 'arib-std-b67', avg_frame_rate: '2500/100', side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }]),
    );
    expect(probe).toMatchObject({ width: 1080, height: 1920, rotation: 90, bitDepth: 10, hdr: true, variableFrameRate: true, fps: 25, audioCodec: null });
  });

  it('reads rotation from the display matrix or the legacy rotate tag', () => {
    expect(parseRotation({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] })).toBe(270);
    expect(parseRotation({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -180 }] })).toBe(180);
    expect(parseRotation({ tags: { rotate: '90' } })).toBe(90);
    expect(parseRotation({})).toBe(0);
  });

  it('reads bit depth from the pixel format first', () => {
    expect(bitDepth({ pix_fmt: 'yuv420p10le' })).toBe(10);
    expect(bitDepth({ pix_fmt: 'yuv420p', bits_per_raw_sample: '8' })).toBe(8);
    expect(bitDepth({ pix_fmt: 'yuv444p12be' })).toBe(12);
  });

  it('refuses audio only (cover art is not a video), and empty files', () => {
    const coverArt = { ...video, codec_name: 'mjpeg', disposition: { attached_pic: 1 } };
    expect(() => parseProbe(probeOf([{ codec_type: 'audio', codec_name: 'aac' }, coverArt]))).toThrow(expect.objectContaining({ code: RejectionCode.NoVideoStream }));
    expect(() => parseProbe(probeOf([], '0.000000'))).toThrow(expect.objectContaining({ code: RejectionCode.ZeroDuration }));
  });

  it('tells a cut-off MP4 from a file that never was one', () => {
    const mp4Head = Buffer.from('\0\0\0\x20ftypisom', 'latin1');
    expect(classifyProbeFailure('moov atom not found', mp4Head).code).toBe(RejectionCode.Truncated);
    expect(classifyProbeFailure('moov atom not found', Buffer.from('Meeting notes')).code).toBe(RejectionCode.NotAVideo);
    expect(classifyProbeFailure('Invalid data found when processing input', Buffer.from('PK\x03\x04')).code).toBe(RejectionCode.NotAVideo);
  });
});

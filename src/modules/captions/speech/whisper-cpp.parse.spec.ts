import { whisperCues } from './whisper-cpp.parse';

describe('whisperCues', () => {
  it('reads offsets in ms, trims the leading space and drops empty segments', () => {
    const json = {
      transcription: [
        { timestamps: { from: '00:00:00,000', to: '00:00:02,500' }, offsets: { from: 0, to: 2500 }, text: ' សួស្តី' },
        { timestamps: { from: '00:00:02,500', to: '00:00:03,000' }, offsets: { from: 2500, to: 3000 }, text: '  ' },
        { timestamps: { from: '00:00:03,000', to: '00:00:05,120' }, offsets: { from: 3000, to: 5120 }, text: ' Hello there.' },
      ],
    };
    expect(whisperCues(json)).toEqual([
      { startMs: 0, endMs: 2500, text: 'សួស្តី' },
      { startMs: 3000, endMs: 5120, text: 'Hello there.' },
    ]);
  });

  it('drops segments without usable times', () => {
    expect(whisperCues({ transcription: [{ text: ' a' }, { offsets: { from: 10, to: 10 }, text: 'b' }] })).toEqual([]);
  });

  it('refuses a file that is not whisper.cpp output', () => {
    expect(() => whisperCues({} as never)).toThrow(/transcription/);
  });
});

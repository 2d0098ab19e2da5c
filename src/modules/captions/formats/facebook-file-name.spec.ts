import { facebookCaptionFileName } from './facebook-file-name';

describe('facebookCaptionFileName', () => {
  it('carries the Facebook locale', () => {
    expect(facebookCaptionFileName('3f2a9c1e-77b0-4a5e-9d61-0c2b8f1e4d10', 'km')).toBe('3f2a9c1e-77b0-4a5e-9d61-0c2b8f1e4d10.km_KH.srt');
    expect(facebookCaptionFileName('t12', 'en')).toBe('t12.en_US.srt');
    expect(facebookCaptionFileName('t12', 'th')).toBe('t12.th_TH.srt');
  });

  it('keeps only lowercase letters, digits and dashes', () => {
    expect(facebookCaptionFileName('../Dara Sok: story/..', 'km')).toBe('dara-sok-story.km_KH.srt');
    expect(facebookCaptionFileName('ខ្ញុំ', 'km')).toBe('captions.km_KH.srt');
    expect(facebookCaptionFileName('a'.repeat(100), 'km')).toBe(`${'a'.repeat(64)}.km_KH.srt`);
  });
});

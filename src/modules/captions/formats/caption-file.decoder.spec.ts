import { decodeCaptionFile, LEGACY_KHMER_MESSAGE, NOT_UTF8_MESSAGE } from './caption-file.decoder';

const SRT = '1\r\n00:00:01,000 --> 00:00:02,500\r\nខ្ញុំបានទៅប្រទេសថៃ\r\n';
const EXPECTED = '1\n00:00:01,000 --> 00:00:02,500\nខ្ញុំបានទៅប្រទេសថៃ\n';

const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

describe('decodeCaptionFile', () => {
  it('reads UTF-8 with and without BOM, with LF line ends', () => {
    expect(decodeCaptionFile(Buffer.from(SRT, 'utf8'))).toEqual({ text: EXPECTED });
    expect(decodeCaptionFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SRT, 'utf8')]))).toEqual({ text: EXPECTED });
    expect(decodeCaptionFile(Buffer.from('a\rb', 'utf8'))).toEqual({ text: 'a\nb' });
  });

  it('normalises to NFC', () => {
    expect(decodeCaptionFile(Buffer.from('cafe\u0301', 'utf8'))).toEqual({ text: 'caf\u00e9' });
  });

  it('converts UTF-16 LE and BE, with and without BOM', () => {
    expect(decodeCaptionFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SRT, 'utf16le')]))).toEqual({ text: EXPECTED });
    expect(decodeCaptionFile(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(SRT)]))).toEqual({ text: EXPECTED });
    expect(decodeCaptionFile(Buffer.from(SRT, 'utf16le'))).toEqual({ text: EXPECTED });
    expect(decodeCaptionFile(utf16be(SRT))).toEqual({ text: EXPECTED });
  });

  it('converts a Windows-1252 file of Latin text', () => {
    // \x92 and \x96 are Windows-1252's curly apostrophe and en dash.
    const bytes = Buffer.from('1\r\n00:00:01,000 --> 00:00:02,500\r\nJ\x92ai travaillé là-bas \x96 déjà deux ans.\r\n', 'latin1');
    expect(decodeCaptionFile(bytes)).toEqual({ text: '1\n00:00:01,000 --> 00:00:02,500\nJ\u2019ai travaillé là-bas – déjà deux ans.\n' });
  });

  it('refuses Khmer typed with a legacy font (Latin-1 codes standing for Khmer glyphs)', () => {
    // Limon-style text: ASCII letters with symbols and upper-half bytes inside the "words".
    const limon = '1\r\n00:00:01,000 --> 00:00:02,500\r\nyuvCnCaeRcInenA kñúgPUmi)ésGYg ebI\xb4ebIeTA\xa7RbeTséf\r\nedayKμan\xb6Ík\xa7ar RtwmRtUv\r\n';
    expect(decodeCaptionFile(Buffer.from(limon, 'latin1'))).toEqual({ problem: { kind: 'legacy-khmer', message: LEGACY_KHMER_MESSAGE } });
  });

  it('refuses bytes it cannot convert confidently', () => {
    expect(decodeCaptionFile(Buffer.from([0x81, 0x8d, 0xff, 0xfd, 0x90, 0x20, 0x9d, 0xc3, 0x28]))).toEqual({ problem: { kind: 'not-utf8', message: NOT_UTF8_MESSAGE } });
  });

  it('refuses a UTF-16 file with a broken surrogate', () => {
    expect(decodeCaptionFile(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]))).toEqual({ problem: { kind: 'not-utf8', message: NOT_UTF8_MESSAGE } });
  });
});

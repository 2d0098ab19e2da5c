import { assLayout, toAss } from './ass.format';

const portrait = { width: 1080, height: 1920, language: 'km' as const };
const landscape = { width: 1920, height: 1080, language: 'km' as const };

const dialogue = (ass: string): string[] => ass.split('\n').filter((l) => l.startsWith('Dialogue:'));
const styleLine = (ass: string): string[] => ass.split('\n').find((l) => l.startsWith('Style:'))!.slice(7).split(',');

describe('toAss', () => {
  it('writes a script sized to the video that libass will not re-wrap', () => {
    const ass = toAss([{ startMs: 1000, endMs: 2500, text: 'សួស្តី' }], portrait);
    expect(ass).toContain('PlayResX: 1080\nPlayResY: 1920\nWrapStyle: 2\nScaledBorderAndShadow: yes');
    expect(dialogue(ass)).toEqual(['Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,សួស្តី']);
  });

  it('styles Khmer for a phone: Khmer font, white with outline, bottom centre, higher in portrait', () => {
    const [name, font, size, primary, , outlineColour, , , , , , , , , , borderStyle, outline, , alignment, marginL, marginR, marginV] = styleLine(toAss([], portrait));
    expect([name, font, size, primary, outlineColour, borderStyle, outline, alignment]).toEqual(['Default', 'Khmer OS Battambang', '59', '&H00FFFFFF', '&H00000000', '1', '6.7', '2']);
    expect([marginL, marginR, marginV]).toEqual(['65', '65', '288']);
    expect(styleLine(toAss([], landscape))[21]).toBe('86');
  });

  it('keeps landscape text readable on an upright phone, where the video is only as wide as the screen', () => {
    expect(styleLine(toAss([], landscape))[2]).toBe('77');
    expect(styleLine(toAss([], { width: 640, height: 360, language: 'km' }))[2]).toBe('26');
  });

  it('offers a translucent box instead of an outline', () => {
    const style = styleLine(toAss([], { ...portrait, box: true }));
    expect([style[5], style[15]]).toEqual(['&H80000000', '3']);
  });

  it('uses a Latin font for English', () => {
    expect(styleLine(toAss([], { ...landscape, language: 'en' }))[1]).toBe('DejaVu Sans');
  });

  it('neutralises override blocks, commands and HTML in text', () => {
    const ass = toAss([{ startMs: 0, endMs: 1000, text: '{\\b1}bold{\\pos(1,1)} <script>alert(1)</script> C:\\x {open\nnext}' }], landscape);
    expect(dialogue(ass)[0]).toBe('Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,bold alert(1) C:/x (open\\Nnext)');
  });

  it('breaks long Khmer lines itself, with \\N', () => {
    const text = 'យុវជនជាច្រើននៅក្នុងភូមិរបស់យើងបានធ្វើចំណាកស្រុកទៅប្រទេសថៃដោយគ្មានឯកសារត្រឹមត្រូវ';
    const line = dialogue(toAss([{ startMs: 0, endMs: 4000, text }], portrait))[0];
    expect(line.split(',,').pop()!.split('\\N').join('')).toBe(text);
    expect(line).toContain('\\N');
  });
});

describe('assLayout', () => {
  it('fits the Khmer clusters a frame holds at its text size', () => {
    expect(assLayout(portrait).maxGraphemes).toBe(29);
    expect(assLayout(landscape).maxGraphemes).toBe(39);
  });
});

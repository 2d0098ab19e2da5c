import { assFilter, escapeFilterValue, frameArgs } from './burn-in.args';

describe('burn-in args', () => {
  it('escapes a path for both the option and the graph parser', () => {
    expect(escapeFilterValue('/tmp/a:b')).toBe('/tmp/a\\\\:b');
    expect(escapeFilterValue("/tmp/it's")).toBe("/tmp/it\\\\\\'s");
    expect(escapeFilterValue('/tmp/a\\b')).toBe('/tmp/a\\\\\\\\b');
    expect(escapeFilterValue('/tmp/[x],y;z')).toBe('/tmp/\\[x\\]\\,y\\;z');
    expect(escapeFilterValue('/tmp/ស្ត្រី file.ass')).toBe('/tmp/ស្ត្រី file.ass');
  });

  it('uses the ass filter with complex shaping and the Khmer fonts folder', () => {
    expect(assFilter('/w/c.ass')).toBe('ass=filename=/w/c.ass:fontsdir=/usr/share/fonts/truetype/khmeros:shaping=complex');
  });

  it('seeks before the input and keeps the original timestamps for the preview frame', () => {
    const args = frameArgs('in.mp4', 'ass=x', 12.5, 'out.png');
    expect(args.slice(0, 4)).toEqual(['-ss', '12.500', '-copyts', '-i']);
    expect(args).toEqual(expect.arrayContaining(['-frames:v', '1']));
  });
});

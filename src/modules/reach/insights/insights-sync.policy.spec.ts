import { insightWindows, INSIGHTS_KEPT_MS, MAX_WINDOW_MS, pageReadFrom } from './insights-sync.policy';

const DAY = 24 * 3600_000;

describe('insight windows', () => {
  it('cuts a long range into windows of at most 90 days that cover it without gaps', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date(from.getTime() + 200 * DAY);
    const windows = insightWindows(from, to);
    expect(windows).toHaveLength(3);
    expect(windows.every((w) => w.until.getTime() - w.since.getTime() <= MAX_WINDOW_MS)).toBe(true);
    expect(windows[0].since).toEqual(from);
    expect(windows[2].until).toEqual(to);
    for (let i = 1; i < windows.length; i++) expect(windows[i].since).toEqual(windows[i - 1].until);
  });

  it('gives no window for an empty range', () => {
    const at = new Date();
    expect(insightWindows(at, at)).toEqual([]);
  });
});

describe('where a Page read starts', () => {
  const now = new Date('2028-06-01T00:00:00Z');

  it('starts at the campaign on the first read, but never further back than Meta keeps', () => {
    expect(pageReadFrom(new Date('2028-01-01T00:00:00Z'), null, now)).toEqual(new Date('2028-01-01T00:00:00Z'));
    expect(pageReadFrom(new Date('2020-01-01T00:00:00Z'), null, now)).toEqual(new Date(now.getTime() - INSIGHTS_KEPT_MS));
  });

  it('goes back three days over the last read, which Meta may still revise', () => {
    const last = new Date('2028-05-20T00:00:00Z');
    expect(pageReadFrom(new Date('2028-01-01T00:00:00Z'), last, now)).toEqual(new Date(last.getTime() - 3 * DAY));
  });
});

import { GraphUsage } from './graph-api.types';
import { paceDelayMs } from './graph-usage';

const WINDOW = 60_000;

function report(percent: number, at: number, regainMinutes = 0): GraphUsage {
  const page = { callCount: percent, totalCputime: percent / 2, totalTime: percent / 2, type: 'pages', estimatedTimeToRegainAccessMinutes: regainMinutes };
  return { page, highestPercent: percent, observedAt: new Date(at) };
}

/** A sliding-window Page like Meta's: `budget` calls per WINDOW, each answer reporting the rounded percentage. */
function simulate(budget: number, ceiling: number, calls: number): { elapsed: number; peakPercent: number } {
  const answered: number[] = [];
  let now = 0;
  let usage: GraphUsage | undefined;
  let peakPercent = 0;
  for (let i = 0; i < calls; i += 1) {
    now += paceDelayMs(usage, answered, ceiling, WINDOW, now);
    const inWindow = answered.filter((t) => t > now - WINDOW).length + 1;
    const percent = Math.round((100 * inWindow) / budget);
    peakPercent = Math.max(peakPercent, percent);
    answered.push(now);
    usage = report(percent, now);
    now += 5;
  }
  return { elapsed: now, peakPercent };
}

describe('paceDelayMs', () => {
  it('lets calls go while Meta reports room, and when there is no report yet', () => {
    expect(paceDelayMs(undefined, [], 90, WINDOW, 0)).toBe(0);
    expect(paceDelayMs(report(89, 0), [0], 90, WINDOW, 1)).toBe(0);
  });

  it('waits the time Meta gives once throttled', () => {
    expect(paceDelayMs(report(100, 1000, 7), [500], 90, WINDOW, 2000)).toBe(7 * 60_000 - 1000);
  });

  it('at the ceiling, waits until enough of its own calls leave the window', () => {
    // 90 calls made 0..89 s ago would be 90% of a 100-call budget: one must leave the window first.
    const calls = Array.from({ length: 90 }, (_, i) => i * 100);
    expect(paceDelayMs(report(90, 8900), calls, 90, WINDOW, 9000)).toBe(calls[0] + WINDOW - 9000);
    // Three points over the ceiling: four calls must leave.
    expect(paceDelayMs(report(93, 8900), calls, 90, WINDOW, 9000)).toBe(calls[3] + WINDOW - 9000);
  });

  it('trusts a report at the ceiling for a while when none of the calls counted were its own', () => {
    expect(paceDelayMs(report(95, 1000), [], 90, WINDOW, 2000)).toBe(WINDOW - 1000);
    expect(paceDelayMs(report(95, 1000), [], 90, WINDOW, 1000 + WINDOW)).toBe(0);
  });

  it('keeps a long run under the ceiling, within 1.2x of the least time the whole budget allows', () => {
    const budget = 100;
    const calls = 2000;
    const { elapsed, peakPercent } = simulate(budget, 90, calls);
    expect(peakPercent).toBeLessThanOrEqual(90);
    // Meta's minimum: a full budget at once, then another each time the window has rolled past it.
    const minimum = (Math.ceil(calls / budget) - 1) * WINDOW;
    expect(elapsed).toBeGreaterThan(minimum);
    expect(elapsed / minimum).toBeLessThan(1.2);
  });
});

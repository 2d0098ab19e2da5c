import { GraphUsage, UsageFigures } from './graph-api.types';

type Headers = Record<string, string | string[] | undefined>;

interface RawFigures {
  call_count?: number;
  total_cputime?: number;
  total_time?: number;
  type?: string;
  estimated_time_to_regain_access?: number;
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

// A header Meta garbled must never fail the call it came with.
function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function figures(raw: RawFigures): UsageFigures {
  return { callCount: Number(raw.call_count ?? 0), totalCputime: Number(raw.total_cputime ?? 0), totalTime: Number(raw.total_time ?? 0) };
}

const highest = (f: UsageFigures | undefined): number => (f ? Math.max(f.callCount, f.totalCputime, f.totalTime) : 0);

/**
 * The usage figures of one response: the app's, and each Page's business-use-case figures keyed by
 * Page id (one entry per Page; Meta lists one per use-case type, the most used one is kept).
 */
export function parseUsageHeaders(headers: Headers, now = new Date()): { app?: UsageFigures; pages: Map<string, GraphUsage> } {
  const appRaw = parseJson(header(headers, 'x-app-usage')) as RawFigures | undefined;
  const app = appRaw && typeof appRaw === 'object' ? figures(appRaw) : undefined;
  const pages = new Map<string, GraphUsage>();
  const buc = parseJson(header(headers, 'x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const [pageId, entries] of Object.entries(buc as Record<string, RawFigures[]>)) {
      if (!Array.isArray(entries)) continue;
      let page: GraphUsage['page'];
      for (const entry of entries) {
        const candidate = { ...figures(entry), type: String(entry.type ?? 'pages'), estimatedTimeToRegainAccessMinutes: Number(entry.estimated_time_to_regain_access ?? 0) };
        if (!page || highest(candidate) > highest(page) || candidate.estimatedTimeToRegainAccessMinutes > page.estimatedTimeToRegainAccessMinutes) page = candidate;
      }
      if (page) pages.set(pageId, { app, page, highestPercent: Math.max(highest(app), highest(page)), observedAt: now });
    }
  }
  return { app, pages };
}

/** Meta's own wait when throttled; undefined when it gave none. */
export function regainAccessMs(headers: Headers): number | undefined {
  const { pages } = parseUsageHeaders(headers);
  const minutes = Math.max(0, ...[...pages.values()].map((u) => u.page?.estimatedTimeToRegainAccessMinutes ?? 0));
  return minutes > 0 ? minutes * 60_000 : undefined;
}

/** Without a throttling wait from Meta, a report at the ceiling is trusted for this long before a new call probes. */
const REPORT_TRUSTED_MS = 5 * 60_000;

/**
 * How long to wait before the next call so that Meta's reported use of the Page's budget stays under
 * `ceilingPercent`. Meta counts calls over a rolling window and reports only a percentage, so the budget
 * in calls is estimated from this process's own calls in the window at the last report: with
 * n of them at p percent, the budget is at most 100·n/p calls (less when others used the Page too, which
 * errs towards waiting longer). At the ceiling, the wait lasts until enough of our calls have left the
 * window to bring the figure back under it; a sync then runs at the ceiling's pace instead of in
 * bursts and stops.
 *
 * `ownCalls`: when this process's calls to the Page were answered, oldest first.
 */
export function paceDelayMs(usage: GraphUsage | undefined, ownCalls: readonly number[], ceilingPercent: number, windowMs: number, now: number): number {
  if (!usage || usage.highestPercent < ceilingPercent) return 0;
  const reportedAt = usage.observedAt.getTime();
  if (now - reportedAt >= windowMs) return 0;
  const regainMs = (usage.page?.estimatedTimeToRegainAccessMinutes ?? 0) * 60_000;
  if (regainMs > 0) return Math.max(0, reportedAt + regainMs - now);
  const counted = ownCalls.filter((t) => t > reportedAt - windowMs && t <= reportedAt);
  if (counted.length === 0) return Math.max(0, reportedAt + Math.min(REPORT_TRUSTED_MS, windowMs) - now);
  const budgetCalls = (100 * counted.length) / usage.highestPercent;
  const overBy = Math.ceil(((usage.highestPercent - ceilingPercent + 1) * budgetCalls) / 100);
  const freedAt = counted[Math.min(Math.max(overBy, 1), counted.length) - 1] + windowMs;
  return Math.max(0, freedAt - now);
}

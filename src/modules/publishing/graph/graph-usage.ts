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

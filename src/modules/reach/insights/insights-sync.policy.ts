const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** Meta keeps insights for two years: an object older than this is never asked about again. */
export const INSIGHTS_KEPT_MS = 730 * DAY_MS;
/** Meta refuses since/until windows longer than 90 days. */
export const MAX_WINDOW_MS = 90 * DAY_MS;
/** Meta revises the last days' figures; each Page read goes back this far over what it already has. */
export const PAGE_REREAD_MS = 3 * DAY_MS;

/**
 * How often an object is read again, by its age: a new post's figures move by the hour, a month-old
 * post's barely move, so reading it daily or weekly keeps the calls for what changes.
 */
export const RESYNC_TIERS: readonly { youngerThanMs: number; everyMs: number }[] = [
  { youngerThanMs: 7 * DAY_MS, everyMs: 6 * HOUR_MS },
  { youngerThanMs: 60 * DAY_MS, everyMs: DAY_MS },
  { youngerThanMs: INSIGHTS_KEPT_MS, everyMs: 7 * DAY_MS },
];

/** The Page's own daily figures are read with the same rhythm as a new post. */
export const PAGE_RESYNC_MS = RESYNC_TIERS[0].everyMs;

/** The since/until windows covering [from, to], each at most 90 days, oldest first. */
export function insightWindows(from: Date, to: Date): { since: Date; until: Date }[] {
  const windows: { since: Date; until: Date }[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += MAX_WINDOW_MS) {
    windows.push({ since: new Date(start), until: new Date(Math.min(start + MAX_WINDOW_MS, to.getTime())) });
  }
  return windows;
}

/** Where a Page read starts: a little before the last read, never before the campaign nor past what Meta keeps. */
export function pageReadFrom(campaignStart: Date, lastSyncedAt: Date | null, now: Date): Date {
  const floor = Math.max(campaignStart.getTime(), now.getTime() - INSIGHTS_KEPT_MS);
  return new Date(Math.max(floor, lastSyncedAt ? lastSyncedAt.getTime() - PAGE_REREAD_MS : floor));
}

import { createHash } from 'node:crypto';
import { invalidParameter } from './fake-graph-errors';

/** Metrics Meta still answers, per kind of object (the reference's table). */
const METRICS = {
  page: ['page_total_media_view_unique', 'page_media_view', 'page_post_engagements', 'page_daily_follows', 'page_follows'],
  post: ['post_total_media_view_unique', 'post_media_view', 'post_reactions_by_type_total', 'post_clicks', 'post_clicks_by_type'],
  video: ['total_video_views', 'total_video_views_unique', 'total_video_avg_time_watched', 'total_video_complete_views'],
} as const;

/** Removed in 2025-2026: asking for one fails the whole request, as on the live API. */
export const REMOVED_METRICS = ['post_impressions', 'post_impressions_unique', 'page_impressions', 'page_impressions_unique', 'page_fans', 'page_fan_adds'];

export type InsightsSubject = keyof typeof METRICS;

const DAY_MS = 24 * 3600 * 1000;
const MAX_WINDOW_S = 90 * 24 * 3600;

/** A stable number in [min, max) per key, so the same object and metric always grow alike. */
function seeded(key: string, min: number, max: number): number {
  const n = createHash('sha256').update(key).digest().readUInt32BE(0);
  return min + (n % (max - min));
}

function valueOf(metric: string, objectId: string, created: Date, endTime: Date, spanMs: number): number | Record<string, number> {
  const from = Math.max(created.getTime(), endTime.getTime() - spanMs);
  const hours = Math.max(0, (endTime.getTime() - from) / 3_600_000);
  const count = Math.floor(hours * seeded(`${objectId}/${metric}`, 3, 40));
  if (metric === 'post_reactions_by_type_total') return { like: Math.floor(count / 20), love: Math.floor(count / 60), care: Math.floor(count / 90) };
  if (metric === 'post_clicks_by_type') return { 'other clicks': Math.floor(count / 10), 'photo view': Math.floor(count / 15) };
  if (metric === 'total_video_avg_time_watched') return count > 0 ? seeded(`${objectId}/avg`, 4000, 45000) : 0;
  return count;
}

export interface InsightsRequest {
  objectId: string;
  subject: InsightsSubject;
  created: Date;
  now: Date;
  params: Record<string, string>;
  /** Current names Meta has since removed too (as v26 removes the *_impressions_unique metrics). */
  retired: ReadonlySet<string>;
}

/**
 * `GET /{object-id}/insights`: values grow with the time since the object was created (so a later sync
 * sees higher figures); one removed, unknown or misplaced metric fails the whole request with code 100.
 */
export function answerInsights(request: InsightsRequest): unknown {
  const { objectId, subject, created, now, params, retired } = request;
  if (!params.metric) invalidParameter('The parameter metric is required');
  const metrics = params.metric.split(',').map((m) => m.trim());
  for (const metric of metrics) {
    if (!(METRICS[subject] as readonly string[]).includes(metric) || retired.has(metric)) invalidParameter('The value must be a valid insights metric');
  }
  const period = params.period ?? 'lifetime';
  const until = params.until ? new Date(Number(params.until) * 1000) : now;
  const since = params.since ? new Date(Number(params.since) * 1000) : new Date(until.getTime() - 2 * DAY_MS);
  if ((until.getTime() - since.getTime()) / 1000 > MAX_WINDOW_S) {
    invalidParameter(`There cannot be more than 90 days (${MAX_WINDOW_S} s) between since and until`);
  }
  const data = metrics.map((name) => {
    const values =
      period === 'lifetime'
        ? [{ value: valueOf(name, objectId, created, now, Infinity), end_time: iso(now) }]
        : days(since, until).map((end) => ({ value: valueOf(name, objectId, created, end, DAY_MS), end_time: iso(end) }));
    return { name, period, values, title: name, description: `${name} (simulated)`, id: `${objectId}/insights/${name}/${period}` };
  });
  return { data, paging: {} };
}

function days(since: Date, until: Date): Date[] {
  const ends: Date[] = [];
  for (let t = Math.ceil(since.getTime() / DAY_MS) * DAY_MS; t <= until.getTime(); t += DAY_MS) ends.push(new Date(t));
  return ends;
}

/** Meta's time format: ISO 8601 with a +0000 zone. */
export const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, '+0000');

/**
 * Every Graph API insights metric the app asks for: the one place to edit when Meta renames or removes
 * one (see /work/shared/reference/facebook-graph-api.md). Meta fails a whole request for one bad name,
 * so a name must leave this table the day Meta removes it.
 */
export type InsightsSubject = 'page' | 'post' | 'video';

export interface InsightsMetric {
  name: string;
  subject: InsightsSubject;
  /** `video_insights` for a video's own metrics. */
  edge: 'insights' | 'video_insights';
  /** Page metrics are read per day over windows; post and video metrics as lifetime totals. */
  period: 'day' | 'days_28' | 'lifetime';
  /**
   * Unique accounts (reach). Uniques are counted per period and per object by Meta, so they are never
   * added across days or posts: dashboards show the largest single figure instead.
   */
  unique: boolean;
}

export const INSIGHTS_METRICS: readonly InsightsMetric[] = [
  { name: 'page_total_media_view_unique', subject: 'page', edge: 'insights', period: 'day', unique: true },
  { name: 'page_total_media_view_unique', subject: 'page', edge: 'insights', period: 'days_28', unique: true },
  { name: 'page_media_view', subject: 'page', edge: 'insights', period: 'day', unique: false },
  { name: 'page_post_engagements', subject: 'page', edge: 'insights', period: 'day', unique: false },
  { name: 'page_daily_follows', subject: 'page', edge: 'insights', period: 'day', unique: false },
  { name: 'page_follows', subject: 'page', edge: 'insights', period: 'day', unique: false },
  { name: 'post_total_media_view_unique', subject: 'post', edge: 'insights', period: 'lifetime', unique: true },
  { name: 'post_media_view', subject: 'post', edge: 'insights', period: 'lifetime', unique: false },
  { name: 'post_reactions_by_type_total', subject: 'post', edge: 'insights', period: 'lifetime', unique: false },
  { name: 'post_clicks', subject: 'post', edge: 'insights', period: 'lifetime', unique: false },
  { name: 'total_video_views', subject: 'video', edge: 'video_insights', period: 'lifetime', unique: false },
  { name: 'total_video_views_unique', subject: 'video', edge: 'video_insights', period: 'lifetime', unique: true },
  { name: 'total_video_avg_time_watched', subject: 'video', edge: 'video_insights', period: 'lifetime', unique: false },
];

/** Removed by Meta (November 2025, and with v26): never requested, whatever the table above says. */
export const REMOVED_INSIGHTS_METRICS: readonly string[] = [
  'post_impressions',
  'post_impressions_unique',
  'page_impressions',
  'page_impressions_unique',
  'page_fans',
  'page_fan_adds',
];

/** The metric each dashboard figure is made from, named once. */
export const REACH_METRIC = { page: 'page_total_media_view_unique', post: 'post_total_media_view_unique' } as const;
export const VIEWS_METRIC = { page: 'page_media_view', post: 'post_media_view' } as const;

/** The metrics to ask for, grouped into one request per subject, edge and period, removed names left out. */
export function insightsRequests(subject: InsightsSubject): { edge: InsightsMetric['edge']; period: InsightsMetric['period']; metrics: string[] }[] {
  const groups = new Map<string, { edge: InsightsMetric['edge']; period: InsightsMetric['period']; metrics: string[] }>();
  for (const m of INSIGHTS_METRICS) {
    if (m.subject !== subject || REMOVED_INSIGHTS_METRICS.includes(m.name)) continue;
    const key = `${m.edge}/${m.period}`;
    const group = groups.get(key) ?? { edge: m.edge, period: m.period, metrics: [] };
    group.metrics.push(m.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}

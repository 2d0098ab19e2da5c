import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InsightsSubject, REACH_METRIC, VIEWS_METRIC } from '../../../config/insights-metrics';
import { InsightsPoint, MetricRefusal } from '../../publishing/graph/graph-api.types';
import { RESYNC_TIERS, INSIGHTS_KEPT_MS } from './insights-sync.policy';

/** An object whose insights are due: a published post or video. */
export interface DueObject {
  publicationId: string;
  objectId: string;
  subject: Exclude<InsightsSubject, 'page'>;
}

export interface Reading {
  pageRef: string;
  publicationId: string | null;
  objectId: string;
  subject: InsightsSubject;
  period: string;
  values: Record<string, InsightsPoint[]>;
  readAt: Date;
  apiVersion: string;
}

/** Anything that runs SQL with parameters: a transaction's EntityManager, or a pg pool in the bench. */
interface Sql {
  query(text: string, params: unknown[]): Promise<unknown>;
}

/**
 * Rewrites the post_figures rows of these publications from their newest readings in insight_latest:
 * the post's lifetime reach (its largest figure, with when it was read) and views. Reach is a unique
 * count, so it is never added, even if a publication's post was ever replaced by another.
 */
export async function refreshPostFigures(sql: Sql, publicationIds: string[]): Promise<void> {
  if (publicationIds.length === 0) return;
  await sql.query(
    `INSERT INTO post_figures (publication_id, reach_accounts, reach_read_at, views)
     SELECT publication_id,
            max(value_number) FILTER (WHERE metric = $2),
            (array_agg(read_at ORDER BY value_number DESC NULLS LAST) FILTER (WHERE metric = $2))[1],
            sum(value_number) FILTER (WHERE metric = $3)
       FROM insight_latest
      WHERE publication_id = ANY($1::uuid[]) AND period = 'lifetime' AND metric IN ($2, $3)
      GROUP BY publication_id
     ON CONFLICT (publication_id) DO UPDATE
       SET reach_accounts = EXCLUDED.reach_accounts, reach_read_at = EXCLUDED.reach_read_at, views = EXCLUDED.views`,
    [publicationIds, REACH_METRIC.post, VIEWS_METRIC.post],
  );
}

/**
 * The SQL side of insights: snapshots (append-only history), the newest reading per figure, each
 * post's newest figures as the dashboards read them, when each object was last read, and the metrics
 * the Page refuses.
 */
@Injectable()
export class InsightsRepository {
  constructor(private readonly db: DataSource) {}

  /** Published posts and videos not read for as long as their age allows, least recently read first. */
  async due(pageRef: string, now: Date, limit: number): Promise<DueObject[]> {
    const tiers = RESYNC_TIERS.map((t) => `WHEN o.published_at > $2::timestamptz - interval '${t.youngerThanMs} milliseconds' THEN interval '${t.everyMs} milliseconds'`).join(' ');
    return this.db.query(
      `SELECT o.publication_id AS "publicationId", o.object_id AS "objectId", o.subject
         FROM (SELECT id AS publication_id, post_id AS object_id, 'post' AS subject, published_at FROM publications
                WHERE page_ref = $1 AND state = 'published' AND post_id IS NOT NULL
               UNION ALL
               SELECT id, video_id, 'video', published_at FROM publications
                WHERE page_ref = $1 AND state = 'published' AND video_id IS NOT NULL) o
         LEFT JOIN insight_sync_marks m ON m.object_id = o.object_id
        WHERE o.published_at > $2::timestamptz - interval '${INSIGHTS_KEPT_MS} milliseconds'
          AND (m.last_synced_at IS NULL OR m.last_synced_at <= $2::timestamptz - (CASE ${tiers} END))
        ORDER BY m.last_synced_at ASC NULLS FIRST, o.published_at DESC
        LIMIT $3`,
      [pageRef, now, limit],
    );
  }

  async lastSynced(objectId: string): Promise<Date | null> {
    const [row] = await this.db.query(`SELECT last_synced_at FROM insight_sync_marks WHERE object_id = $1`, [objectId]);
    return row ? (row.last_synced_at as Date) : null;
  }

  /**
   * Stores what was read, the posts' figures made from it, and moves the object's mark, in one
   * transaction: a crash leaves none of them, and the dashboards never see figures the history lacks.
   */
  async record(readings: Reading[], mark: { objectId: string; subject: InsightsSubject; at: Date }): Promise<void> {
    await this.db.transaction(async (em) => {
      for (const reading of readings) await this.insertReading(em, reading);
      const posts = new Set(readings.filter((r) => r.subject === 'post' && r.publicationId !== null).map((r) => r.publicationId as string));
      await refreshPostFigures(em, [...posts]);
      await em.query(
        `INSERT INTO insight_sync_marks (object_id, subject, last_synced_at) VALUES ($1, $2, $3)
         ON CONFLICT (object_id) DO UPDATE SET last_synced_at = EXCLUDED.last_synced_at`,
        [mark.objectId, mark.subject, mark.at],
      );
    });
  }

  private async insertReading(em: EntityManager, r: Reading): Promise<void> {
    const rows = Object.entries(r.values).flatMap(([metric, points]) =>
      points.map((p) => ({
        metric,
        // A lifetime figure is one figure that grows: its end time is when it was read, not a period.
        endTime: r.period === 'lifetime' ? null : (p.endTime ?? null),
        value: JSON.stringify(p.value),
        number: typeof p.value === 'number' ? p.value : null,
      })),
    );
    if (rows.length === 0) return;
    const params = [r.pageRef, r.publicationId, r.objectId, r.subject, r.period, r.readAt, r.apiVersion, rows.map((x) => x.metric), rows.map((x) => x.endTime), rows.map((x) => x.value), rows.map((x) => x.number)];
    const source = `SELECT $1::uuid AS page_ref, $2::uuid AS publication_id, $3::varchar AS object_id, $4::varchar AS subject, u.metric, $5::varchar AS period,
                           u.end_time, u.value, u.value_number, $6::timestamptz AS read_at, $7::varchar AS api_version
                      FROM unnest($8::varchar[], $9::timestamptz[], $10::jsonb[], $11::numeric[]) AS u(metric, end_time, value, value_number)`;
    await em.query(`INSERT INTO insight_snapshots (page_ref, publication_id, object_id, subject, metric, period, end_time, value, value_number, read_at, api_version) ${source}`, params);
    await em.query(
      `INSERT INTO insight_latest (page_ref, publication_id, object_id, subject, metric, period, end_time, value, value_number, read_at, api_version)
       SELECT page_ref, publication_id, object_id, subject, metric, period, COALESCE(end_time, 'epoch'), value, value_number, read_at, api_version FROM (${source}) s
       ON CONFLICT (object_id, metric, period, end_time) DO UPDATE
         SET value = EXCLUDED.value, value_number = EXCLUDED.value_number, read_at = EXCLUDED.read_at, api_version = EXCLUDED.api_version`,
      params,
    );
  }

  /** Remembers what the Page refused; a metric that answers again is no longer listed. */
  async noteRefusals(pageRef: string, subject: InsightsSubject, refused: MetricRefusal[], answered: string[]): Promise<void> {
    for (const r of refused) {
      await this.db.query(
        `INSERT INTO insight_refusals (page_ref, subject, metric, code, subcode, message) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (page_ref, subject, metric) DO UPDATE SET code = EXCLUDED.code, subcode = EXCLUDED.subcode, message = EXCLUDED.message, last_seen_at = now()`,
        [pageRef, subject, r.metric, r.code, r.subcode ?? null, r.message.slice(0, 1000)],
      );
    }
    if (answered.length > 0) await this.db.query(`DELETE FROM insight_refusals WHERE page_ref = $1 AND subject = $2 AND metric = ANY($3)`, [pageRef, subject, answered]);
  }
}

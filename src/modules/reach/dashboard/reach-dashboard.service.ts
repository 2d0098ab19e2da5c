import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { REACH_METRIC, VIEWS_METRIC } from '../../../config/insights-metrics';
import { AuthUser } from '../../auth/auth-user';
import { PageConnectionService } from '../../publishing/page-connection.service';
import { TestimonyRenditions } from '../../testimonies/testimony-renditions';
import { Role } from '../../users/role';
import { BreakdownRowDto, OfflineProfileRowDto, ProgressDto, TestimonyReachDto } from '../dto/reach.dto';
import { dimensionSql, Granularity, ReachDimension } from './reach-dimensions';
import { PUBLISHED_DAY, ReachWindow } from './reach-window';

/** How each figure is made, shown one tap away on the dashboard. */
export const METHODS = {
  offline:
    'People reached offline: each person in the attendance registers of screenings a lead verified, counted once however many sessions they attended (by the pseudonymous key made from name, sex, birth year and village). Open screenings that recorded a headcount only are shown apart and are not in this number.',
  online:
    "Facebook's estimate of accounts (not people) that saw the Page's content: the largest single figure Meta gave, either the Page's 28-day reach within the window or one post's lifetime reach. Unique figures of different days or posts are never added: the same person would be counted again.",
  repeats: 'Attendances minus unique people: how often people came back to another session.',
} as const;

const BASE_OFFLINE = `FROM screenings s JOIN communes c ON c.id = s.commune_id LEFT JOIN screening_attendances a ON a.screening_id = s.id`;

/**
 * The leads' figures, read from PostgreSQL only (never from Meta while someone waits): progress to the
 * target, breakdowns, and each item's reach. Offline counts come from verified screenings; online
 * figures from the newest insight readings, never summed when they are unique counts.
 */
@Injectable()
export class ReachDashboardService {
  constructor(
    private readonly db: DataSource,
    private readonly pages: PageConnectionService,
    private readonly renditions: TestimonyRenditions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async progress(window: ReachWindow): Promise<ProgressDto> {
    const page = await this.pages.current();
    // Independent questions, asked at once on separate connections.
    const [[offline], online, refused, [sync]] = await Promise.all([
      this.db.query(
        `SELECT count(DISTINCT a.person_key) FILTER (WHERE s.verified_at IS NOT NULL)::int AS unique_people,
                count(a.person_key) FILTER (WHERE s.verified_at IS NOT NULL)::int AS attendances,
                count(DISTINCT a.person_key) FILTER (WHERE s.verified_at IS NULL)::int AS pending_people,
                count(DISTINCT s.id) FILTER (WHERE s.verified_at IS NOT NULL)::int AS screenings,
                count(DISTINCT s.id) FILTER (WHERE s.verified_at IS NULL)::int AS pending_screenings,
                COALESCE((SELECT sum(headcount) FROM screenings o WHERE o.counts_only AND o.verified_at IS NOT NULL AND o.held_on BETWEEN $1 AND $2), 0)::int AS open_headcount
           ${BASE_OFFLINE}
          WHERE s.held_on BETWEEN $1 AND $2`,
        [window.from, window.to],
      ),
      this.largestReach(window),
      page
        ? this.db.query(`SELECT subject, metric, code, message, last_seen_at AS "lastSeenAt" FROM insight_refusals WHERE page_ref = $1 ORDER BY subject, metric`, [page.id])
        : Promise.resolve([]),
      this.db.query(`SELECT max(last_synced_at) AS at FROM insight_sync_marks`),
    ]);
    return {
      window,
      target: this.config.reach.targetPeople,
      offline: {
        uniquePeople: offline.unique_people,
        attendances: offline.attendances,
        repeatAttendances: offline.attendances - offline.unique_people,
        screenings: offline.screenings,
        openScreeningHeadcount: offline.open_headcount,
        awaitingVerification: { screenings: offline.pending_screenings, people: offline.pending_people },
        method: METHODS.offline,
        repeatsMethod: METHODS.repeats,
      },
      online: { ...online, unit: 'accounts', method: METHODS.online },
      page: page ? { state: page.state, stateReason: page.stateReason, lastSyncedAt: sync?.at ? new Date(sync.at).toISOString() : null } : null,
      refusedMetrics: refused.map((r: { lastSeenAt: Date }) => ({ ...r, lastSeenAt: new Date(r.lastSeenAt).toISOString() })),
    };
  }

  /** The largest single unique figure Meta gave in the window: never a sum of uniques. */
  private async largestReach(window: ReachWindow): Promise<ProgressDto['online']> {
    const [row] = await this.db.query(
      `SELECT source, accounts, at FROM (
         SELECT 'page_28_days' AS source, value_number AS accounts, end_time AS at FROM insight_latest
          WHERE subject = 'page' AND metric = $3 AND period = 'days_28'
            AND (end_time AT TIME ZONE 'Asia/Phnom_Penh')::date BETWEEN $1 AND $2
         UNION ALL
         SELECT 'single_post', l.value_number, l.read_at FROM insight_latest l JOIN publications p ON p.id = l.publication_id
          WHERE l.metric = $4 AND l.period = 'lifetime' AND ${PUBLISHED_DAY} BETWEEN $1 AND $2
       ) f WHERE accounts IS NOT NULL ORDER BY accounts DESC LIMIT 1`,
      [window.from, window.to, REACH_METRIC.page, REACH_METRIC.post],
    );
    return row
      ? { estimateAccounts: Number(row.accounts), madeFrom: row.source, readingAt: new Date(row.at).toISOString() }
      : { estimateAccounts: null, madeFrom: null, readingAt: null };
  }

  /** Rows by the dimension, largest first (by period: in time order), at most `limit` of them. */
  async breakdown(by: ReachDimension, window: ReachWindow, granularity: Granularity, limit = Infinity): Promise<BreakdownRowDto[]> {
    const params = [window.from, window.to];
    let offlineRows: Record<string, unknown>[];
    let onlineRows: Record<string, unknown>[];
    if (by === 'period') {
      offlineRows = await this.db.query(
        `SELECT date_trunc('${granularity}', s.held_on)::date::text AS key, ${offlineFigures} ${BASE_OFFLINE}
          WHERE s.verified_at IS NOT NULL AND s.held_on BETWEEN $1 AND $2 GROUP BY 1`,
        params,
      );
      onlineRows = await this.db.query(
        `SELECT date_trunc('${granularity}', (end_time AT TIME ZONE 'Asia/Phnom_Penh')::date)::date::text AS key,
                sum(value_number) FILTER (WHERE metric = $3)::float AS views, max(value_number) FILTER (WHERE metric = $4)::float AS largest_reach, 0 AS posts
           FROM insight_latest WHERE subject = 'page' AND period = 'day' AND metric IN ($3, $4)
            AND (end_time AT TIME ZONE 'Asia/Phnom_Penh')::date BETWEEN $1 AND $2 GROUP BY 1`,
        [...params, VIEWS_METRIC.page, REACH_METRIC.page],
      );
    } else {
      const d = dimensionSql(by);
      const items = d.viaItems ? 'JOIN screening_items si ON si.screening_id = s.id JOIN testimonies t ON t.id = si.testimony_id' : '';
      offlineRows = await this.db.query(
        `SELECT ${d.offline}::text AS key, ${offlineFigures}
           FROM screenings s JOIN communes c ON c.id = s.commune_id ${items} LEFT JOIN screening_attendances a ON a.screening_id = s.id
          WHERE s.verified_at IS NOT NULL AND s.held_on BETWEEN $1 AND $2 GROUP BY 1`,
        params,
      );
      onlineRows = await this.db.query(
        `SELECT ${d.online}::text AS key, count(DISTINCT p.id)::int AS posts, sum(v.value_number)::float AS views, max(r.value_number)::float AS largest_reach
           FROM publications p JOIN testimonies t ON t.id = p.testimony_id JOIN communes c ON c.id = t.commune_id
           LEFT JOIN insight_latest v ON v.publication_id = p.id AND v.metric = $3 AND v.period = 'lifetime'
           LEFT JOIN insight_latest r ON r.publication_id = p.id AND r.metric = $4 AND r.period = 'lifetime'
          WHERE p.published_at IS NOT NULL AND ${PUBLISHED_DAY} BETWEEN $1 AND $2 GROUP BY 1`,
        [...params, VIEWS_METRIC.post, REACH_METRIC.post],
      );
    }
    const rows = new Map<string, BreakdownRowDto>();
    const row = (key: string): BreakdownRowDto => {
      const existing = rows.get(key);
      if (existing) return existing;
      const made: BreakdownRowDto = { key, label: key, screenings: 0, offlineUniquePeople: 0, attendances: 0, openScreeningHeadcount: 0, posts: 0, onlineViews: 0, onlineLargestReachAccounts: null };
      rows.set(key, made);
      return made;
    };
    for (const o of offlineRows) {
      Object.assign(row(String(o.key)), { screenings: o.screenings, offlineUniquePeople: o.unique_people, attendances: o.attendances, openScreeningHeadcount: o.open_headcount });
    }
    for (const o of onlineRows) {
      Object.assign(row(String(o.key)), { posts: o.posts, onlineViews: o.views ?? 0, onlineLargestReachAccounts: o.largest_reach ?? null });
    }
    const sorted = [...rows.values()]
      .sort((a, b) => (by === 'period' ? a.key.localeCompare(b.key) : b.offlineUniquePeople - a.offlineUniquePeople || b.onlineViews - a.onlineViews))
      .slice(0, limit);
    if (by !== 'period') await this.label(by, sorted);
    return sorted;
  }

  private async label(by: Exclude<ReachDimension, 'period'>, rows: BreakdownRowDto[]): Promise<void> {
    const label = dimensionSql(by).label;
    if (!label || rows.length === 0) return;
    const labels: { key: string; label: string | null }[] = await this.db.query(`SELECT id::text AS key, ${label.expr} AS label FROM ${label.table} WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.key)]);
    const byKey = new Map(labels.map((l) => [l.key, l.label]));
    for (const row of rows) row.label = byKey.get(row.key) ?? null;
  }

  /** Offline people by sex and age band: unique people per cell (a person is in one cell). */
  async offlineProfile(window: ReachWindow): Promise<OfflineProfileRowDto[]> {
    return this.db.query(
      `SELECT a.sex, a.age_band AS "ageBand", count(DISTINCT a.person_key)::int AS "uniquePeople", count(*)::int AS attendances
         FROM screening_attendances a JOIN screenings s ON s.id = a.screening_id
        WHERE s.verified_at IS NOT NULL AND s.held_on BETWEEN $1 AND $2
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [window.from, window.to],
    );
  }

  /**
   * Items by reach: online (the post's own lifetime figures) and offline (verified screenings that showed
   * it). A withdrawn item keeps its figures but loses its title and thumbnail. Educators get their own only.
   */
  async testimonies(viewer: AuthUser, window: ReachWindow, limit: number): Promise<TestimonyReachDto[]> {
    const mine = viewer.role === Role.Educator;
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH online AS (
         SELECT p.testimony_id, max(r.value_number)::float AS reach, sum(v.value_number)::float AS views
           FROM publications p
           LEFT JOIN insight_latest r ON r.publication_id = p.id AND r.metric = $3 AND r.period = 'lifetime'
           LEFT JOIN insight_latest v ON v.publication_id = p.id AND v.metric = $4 AND v.period = 'lifetime'
          WHERE p.published_at IS NOT NULL GROUP BY 1),
       offline AS (
         SELECT si.testimony_id, count(DISTINCT s.id)::int AS screenings, count(DISTINCT a.person_key)::int AS people, COALESCE(sum(s.headcount) FILTER (WHERE s.counts_only), 0)::int AS open_headcount
           FROM screening_items si JOIN screenings s ON s.id = si.screening_id LEFT JOIN screening_attendances a ON a.screening_id = s.id
          WHERE s.verified_at IS NOT NULL AND s.held_on BETWEEN $1 AND $2 GROUP BY 1)
       SELECT t.id, t.status, t.title, t.kind, t.language, t.placeholder, t.educator_id,
              o.reach, o.views, COALESCE(f.screenings, 0) AS screenings, COALESCE(f.people, 0) AS people, COALESCE(f.open_headcount, 0) AS open_headcount
         FROM testimonies t LEFT JOIN online o ON o.testimony_id = t.id LEFT JOIN offline f ON f.testimony_id = t.id
        WHERE (o.testimony_id IS NOT NULL OR f.testimony_id IS NOT NULL) ${mine ? 'AND t.educator_id = $6' : ''}
        ORDER BY COALESCE(f.people, 0) + COALESCE(o.reach, 0) DESC, t.id LIMIT $5`,
      [window.from, window.to, REACH_METRIC.post, VIEWS_METRIC.post, limit, ...(mine ? [viewer.id] : [])],
    );
    const shown = rows.filter((r) => r.status !== 'withdrawn').map((r) => String(r.id));
    const thumbnails = await this.renditions.thumbnailUrls(shown);
    return rows.map((r) => {
      const withdrawn = r.status === 'withdrawn';
      return {
        testimonyId: String(r.id),
        withdrawn,
        title: withdrawn ? null : String(r.title),
        thumbnailUrl: withdrawn ? null : (thumbnails.get(String(r.id)) ?? null),
        placeholder: withdrawn ? null : ((r.placeholder as string | null) ?? null),
        kind: String(r.kind),
        language: String(r.language),
        onlineReachAccounts: (r.reach as number | null) ?? null,
        onlineViews: (r.views as number | null) ?? 0,
        screenings: Number(r.screenings),
        offlineUniquePeople: Number(r.people),
        openScreeningHeadcount: Number(r.open_headcount),
      };
    });
  }
}

const offlineFigures = `count(DISTINCT s.id)::int AS screenings, count(DISTINCT a.person_key)::int AS unique_people, count(a.person_key)::int AS attendances,
  COALESCE(sum(s.headcount) FILTER (WHERE s.counts_only), 0)::int AS open_headcount`;

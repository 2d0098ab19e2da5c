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
import { inWindow, ReachWindow } from './reach-window';

/** How each figure is made, shown one tap away on the dashboard. */
export const METHODS = {
  offline:
    'People reached offline: each person in the attendance registers of screenings a lead verified, counted once however many sessions they attended (by the pseudonymous key made from name, sex, birth year and village). Open screenings that recorded a headcount only are shown apart and are not in this number.',
  online:
    "Facebook's estimate of accounts (not people) that saw the Page's content: the largest single figure Meta gave, either the Page's 28-day reach within the window or one post's lifetime reach. Unique figures of different days or posts are never added: the same person would be counted again.",
  repeats: 'Attendances minus unique people: how often people came back to another session.',
} as const;

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
    const [offline, online, refused, [sync]] = await Promise.all([
      this.offlineTotals(window),
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
        uniquePeople: offline.uniquePeople,
        attendances: offline.attendances,
        repeatAttendances: offline.attendances - offline.uniquePeople,
        screenings: offline.screenings,
        openScreeningHeadcount: offline.openHeadcount,
        awaitingVerification: { screenings: offline.pendingScreenings, people: offline.pendingPeople },
        method: METHODS.offline,
        repeatsMethod: METHODS.repeats,
      },
      online: { ...online, unit: 'accounts', method: METHODS.online },
      page: page ? { state: page.state, stateReason: page.stateReason, lastSyncedAt: sync?.at ? new Date(sync.at).toISOString() : null } : null,
      refusedMetrics: refused.map((r: { lastSeenAt: Date }) => ({ ...r, lastSeenAt: new Date(r.lastSeenAt).toISOString() })),
    };
  }

  /**
   * Verified and waiting figures of the window. People are told apart by person_no, the compact form of
   * their key (see the reach-figures migration): counting distinct 16-byte values instead of 64-character
   * strings is what keeps every offline figure fast.
   */
  private async offlineTotals(window: ReachWindow) {
    const params = [window.from, window.to];
    const people = (verified: boolean) =>
      this.db.query(
        `SELECT count(DISTINCT a.person_no)::int AS people, count(*)::int AS attendances FROM screenings s JOIN screening_attendances a ON a.screening_id = s.id
          WHERE s.verified_at IS ${verified ? 'NOT NULL' : 'NULL'} AND s.held_on BETWEEN $1 AND $2`,
        params,
      );
    const [[done], [waiting], [sessions]] = await Promise.all([
      people(true),
      people(false),
      this.db.query(
        `SELECT count(*) FILTER (WHERE verified_at IS NOT NULL)::int AS screenings, count(*) FILTER (WHERE verified_at IS NULL)::int AS pending,
                COALESCE(sum(headcount) FILTER (WHERE counts_only AND verified_at IS NOT NULL), 0)::int AS open_headcount
           FROM screenings WHERE held_on BETWEEN $1 AND $2`,
        params,
      ),
    ]);
    return {
      uniquePeople: done.people as number,
      attendances: done.attendances as number,
      pendingPeople: waiting.people as number,
      screenings: sessions.screenings as number,
      pendingScreenings: sessions.pending as number,
      openHeadcount: sessions.open_headcount as number,
    };
  }

  /** The largest single unique figure Meta gave in the window: never a sum of uniques. */
  private async largestReach(window: ReachWindow): Promise<ProgressDto['online']> {
    const [row] = await this.db.query(
      `SELECT source, accounts, at FROM (
         SELECT 'page_28_days' AS source, value_number AS accounts, end_time AS at FROM insight_latest
          WHERE subject = 'page' AND metric = $3 AND period = 'days_28'
            AND ${inWindow('end_time')}
         UNION ALL
         SELECT 'single_post', f.reach_accounts, f.reach_read_at FROM post_figures f JOIN publications p ON p.id = f.publication_id
          WHERE ${inWindow('p.published_at')}
       ) f WHERE accounts IS NOT NULL ORDER BY accounts DESC LIMIT 1`,
      [window.from, window.to, REACH_METRIC.page],
    );
    return row
      ? { estimateAccounts: Number(row.accounts), madeFrom: row.source, readingAt: new Date(row.at).toISOString() }
      : { estimateAccounts: null, madeFrom: null, readingAt: null };
  }

  /** Rows by the dimension, largest first (by period: in time order), at most `limit` of them. */
  async breakdown(by: ReachDimension, window: ReachWindow, granularity: Granularity, limit = Infinity): Promise<BreakdownRowDto[]> {
    const d = by === 'period' ? null : dimensionSql(by);
    const offlineKey = d ? d.offline : `date_trunc('${granularity}', s.held_on)::date`;
    const [people, sessions, online] = await Promise.all([
      this.offlinePeople(window, offlineKey, d?.viaItems ?? false),
      this.offlineSessions(window, offlineKey, d?.viaItems ?? false),
      d ? this.onlineByItem(window, d.online, d.onlineJoins) : this.onlineByDay(window, granularity),
    ]);
    const rows = new Map<string, BreakdownRowDto>();
    const row = (key: string): BreakdownRowDto => {
      const existing = rows.get(key);
      if (existing) return existing;
      const made: BreakdownRowDto = { key, label: key, screenings: 0, offlineUniquePeople: 0, attendances: 0, openScreeningHeadcount: 0, posts: 0, onlineViews: 0, onlineLargestReachAccounts: null };
      rows.set(key, made);
      return made;
    };
    for (const o of people) Object.assign(row(String(o.key)), { offlineUniquePeople: o.unique_people, attendances: o.attendances });
    for (const o of sessions) Object.assign(row(String(o.key)), { screenings: o.screenings, openScreeningHeadcount: o.open_headcount });
    for (const o of online) Object.assign(row(String(o.key)), { posts: o.posts, onlineViews: o.views ?? 0, onlineLargestReachAccounts: o.largest_reach ?? null });
    const sorted = [...rows.values()]
      .sort((a, b) => (by === 'period' ? a.key.localeCompare(b.key) : b.offlineUniquePeople - a.offlineUniquePeople || b.onlineViews - a.onlineViews))
      .slice(0, limit);
    if (by !== 'period') await this.label(by, sorted);
    return sorted;
  }

  /**
   * Unique people and attendances per key of verified screenings. Grouped by the key in its own type
   * (text made once per row of the answer, not per attendance); within each group the planner sorts the
   * few people it holds, cheaper here than one hash table of every (key, person) pair.
   */
  private offlinePeople(window: ReachWindow, key: string, viaItems: boolean): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT ${key}::text AS key, count(DISTINCT a.person_no)::int AS unique_people, count(*)::int AS attendances
         ${verifiedScreenings(viaItems)} JOIN screening_attendances a ON a.screening_id = s.id
        WHERE s.verified_at IS NOT NULL AND s.held_on BETWEEN $1 AND $2 GROUP BY ${key}`,
      [window.from, window.to],
    );
  }

  private offlineSessions(window: ReachWindow, key: string, viaItems: boolean): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT ${key}::text AS key, count(DISTINCT s.id)::int AS screenings, COALESCE(sum(s.headcount) FILTER (WHERE s.counts_only), 0)::int AS open_headcount
         ${verifiedScreenings(viaItems)} WHERE s.verified_at IS NOT NULL AND s.held_on BETWEEN $1 AND $2 GROUP BY ${key}`,
      [window.from, window.to],
    );
  }

  /** Posts published in the window, by the item's dimension: views added, reach only as its largest figure. */
  private onlineByItem(window: ReachWindow, key: string, joins: string): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT ${key}::text AS key, count(*)::int AS posts, sum(f.views) AS views, max(f.reach_accounts) AS largest_reach
         FROM publications p ${joins} LEFT JOIN post_figures f ON f.publication_id = p.id
        WHERE ${inWindow('p.published_at')} GROUP BY ${key}`,
      [window.from, window.to],
    );
  }

  /** The Page's daily figures by period: daily views added, daily reach only as its largest figure. */
  private onlineByDay(window: ReachWindow, granularity: Granularity): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT date_trunc('${granularity}', (end_time AT TIME ZONE 'Asia/Phnom_Penh')::date)::date::text AS key,
              sum(value_number) FILTER (WHERE metric = $3)::float AS views, max(value_number) FILTER (WHERE metric = $4)::float AS largest_reach, 0 AS posts
         FROM insight_latest WHERE subject = 'page' AND period = 'day' AND metric IN ($3, $4) AND ${inWindow('end_time')} GROUP BY 1`,
      [window.from, window.to, VIEWS_METRIC.page, REACH_METRIC.page],
    );
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
      `SELECT a.sex, a.age_band AS "ageBand", count(DISTINCT a.person_no)::int AS "uniquePeople", count(*)::int AS attendances
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
         SELECT p.testimony_id, max(f.reach_accounts) AS reach, sum(f.views) AS views
           FROM publications p LEFT JOIN post_figures f ON f.publication_id = p.id
          WHERE p.published_at IS NOT NULL GROUP BY 1),
       sessions AS (
         SELECT si.testimony_id, count(*)::int AS screenings, COALESCE(sum(s.headcount) FILTER (WHERE s.counts_only), 0)::int AS open_headcount
           FROM screening_items si JOIN screenings s ON s.id = si.screening_id
          WHERE s.verified_at IS NOT NULL AND s.held_on BETWEEN $1 AND $2 GROUP BY 1),
       people AS (
         SELECT si.testimony_id, count(DISTINCT a.person_no)::int AS people
           FROM screening_items si JOIN screenings s ON s.id = si.screening_id JOIN screening_attendances a ON a.screening_id = s.id
          WHERE s.verified_at IS NOT NULL AND s.held_on BETWEEN $1 AND $2 GROUP BY 1)
       SELECT t.id, t.status, t.title, t.kind, t.language, t.placeholder, t.educator_id,
              o.reach, o.views, COALESCE(f.screenings, 0) AS screenings, COALESCE(pp.people, 0) AS people, COALESCE(f.open_headcount, 0) AS open_headcount
         FROM testimonies t LEFT JOIN online o ON o.testimony_id = t.id LEFT JOIN sessions f ON f.testimony_id = t.id LEFT JOIN people pp ON pp.testimony_id = t.id
        WHERE (o.testimony_id IS NOT NULL OR f.testimony_id IS NOT NULL) ${mine ? 'AND t.educator_id = $4' : ''}
        -- People and accounts are different units: ranked by people reached, then by online reach, never by their sum.
        ORDER BY COALESCE(pp.people, 0) DESC, o.reach DESC NULLS LAST, t.id LIMIT $3`,
      [window.from, window.to, limit, ...(mine ? [viewer.id] : [])],
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

/** Screenings `s` with their commune `c`, and with the items shown `t` when grouping by item. */
function verifiedScreenings(viaItems: boolean): string {
  const items = viaItems ? ' JOIN screening_items si ON si.screening_id = s.id JOIN testimonies t ON t.id = si.testimony_id' : '';
  return `FROM screenings s JOIN communes c ON c.id = s.commune_id${items}`;
}

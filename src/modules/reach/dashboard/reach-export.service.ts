import { Injectable } from '@nestjs/common';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuthUser } from '../../auth/auth-user';
import { csvLine } from './csv';
import { ReachDashboardService } from './reach-dashboard.service';
import { Granularity, ReachDimension } from './reach-dimensions';
import { ReachWindow } from './reach-window';

export const EXPORT_TABLES = ['breakdown', 'offline-profile', 'testimonies', 'screenings', 'snapshots'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

const BREAKDOWN_COLUMNS = ['key', 'label', 'screenings', 'offlineUniquePeople', 'attendances', 'openScreeningHeadcount', 'posts', 'onlineViews', 'onlineLargestReachAccounts'] as const;
/** Links and previews are for the screen only: they expire, and a file outlives them. */
const TESTIMONY_COLUMNS = ['testimonyId', 'withdrawn', 'title', 'kind', 'language', 'onlineReachAccounts', 'onlineViews', 'screenings', 'offlineUniquePeople', 'openScreeningHeadcount'] as const;

/** Rows read per query while streaming: memory stays flat whatever the range. */
const BATCH = 5000;

/**
 * CSV exports of every dashboard table. The long ones (screenings, insight snapshots) are read in keyset
 * batches and written as the client takes them, so a range of years streams instead of being refused.
 */
@Injectable()
export class ReachExportService {
  constructor(
    private readonly db: DataSource,
    private readonly dashboard: ReachDashboardService,
  ) {}

  async write(out: Writable, table: ExportTable, viewer: AuthUser, window: ReachWindow, options: { by: ReachDimension; granularity: Granularity }): Promise<void> {
    switch (table) {
      case 'breakdown':
        return this.rows(out, BREAKDOWN_COLUMNS, await this.dashboard.breakdown(options.by, window, options.granularity));
      case 'offline-profile':
        return this.rows(out, ['sex', 'ageBand', 'uniquePeople', 'attendances'], await this.dashboard.offlineProfile(window));
      case 'testimonies':
        return this.rows(out, TESTIMONY_COLUMNS, await this.dashboard.testimonies(viewer, window, 100_000));
      case 'screenings':
        return this.stream(
          out,
          ['id', 'held_on', 'commune', 'province', 'group_name', 'counts_only', 'headcount', 'testimony_ids', 'duplicate_of', 'verified'],
          (after) =>
            this.db.query(
              `SELECT s.id, s.held_on::text AS held_on, c.name_en AS commune, pr.name_en AS province, s.group_name, s.counts_only, s.headcount, s.items_key, s.duplicate_of, s.verified_at IS NOT NULL AS verified
                 FROM screenings s JOIN communes c ON c.id = s.commune_id JOIN provinces pr ON pr.id = c.province_id
                WHERE s.held_on BETWEEN $1 AND $2 AND s.id > $3 ORDER BY s.id LIMIT ${BATCH}`,
              [window.from, window.to, after ?? '00000000-0000-0000-0000-000000000000'],
            ),
        );
      case 'snapshots':
        return this.stream(
          out,
          ['id', 'object_id', 'subject', 'publication_id', 'metric', 'period', 'end_time', 'value', 'read_at', 'api_version'],
          (after) =>
            this.db.query(
              `SELECT i.id::text AS id, i.object_id, i.subject, i.publication_id, i.metric, i.period, i.end_time, i.value, i.read_at, i.api_version FROM insight_snapshots i
                WHERE (i.read_at AT TIME ZONE 'Asia/Phnom_Penh')::date BETWEEN $1 AND $2 AND i.id > $3::bigint ORDER BY i.id LIMIT ${BATCH}`,
              [window.from, window.to, after ?? '0'],
            ),
        );
    }
  }

  private async rows(out: Writable, header: readonly string[], rows: object[]): Promise<void> {
    await this.emit(out, csvLine([...header]));
    for (const row of rows) await this.emit(out, csvLine(header.map((k) => (row as Record<string, unknown>)[k])));
  }

  private async stream(out: Writable, header: string[], batch: (after: string | undefined) => Promise<Record<string, unknown>[]>): Promise<void> {
    await this.emit(out, csvLine(header));
    let after: string | undefined;
    for (;;) {
      const rows = await batch(after);
      if (rows.length === 0) return;
      await this.emit(out, rows.map((r) => csvLine(Object.values(r))).join(''));
      after = String(rows[rows.length - 1].id);
      if (out.destroyed) return;
    }
  }

  /** Waits when the client reads slower than the database answers (or has gone). */
  private async emit(out: Writable, text: string): Promise<void> {
    if (out.destroyed || out.write(text)) return;
    await Promise.race([once(out, 'drain'), once(out, 'close')]);
  }
}

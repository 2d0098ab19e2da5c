import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { whileLocked } from '../../../common/db/advisory-lock';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { insightsRequests, InsightsSubject } from '../../../config/insights-metrics';
import { GraphApi } from '../../publishing/graph/graph-api.port';
import { MetricRefusal } from '../../publishing/graph/graph-api.types';
import { DEFAULT_THROTTLE_WAIT_MS, GraphError } from '../../publishing/graph/graph-error';
import { OpenPage, PageConnectionService } from '../../publishing/page-connection.service';
import { InsightsSyncResult } from './insights-sync.job';
import { insightWindows, PAGE_RESYNC_MS, pageReadFrom } from './insights-sync.policy';
import { InsightsRepository, Reading } from './insights.repository';

/** Objects asked of the database at a time. */
const BATCH = 200;
/** Only one sync runs at a time across every worker (a PostgreSQL advisory lock). */
const SYNC_LOCK = 'insights-sync';
/**
 * A run gives the publishing queue back after this long, and queues its own next part: a post due now
 * must never wait behind a long sync of old figures.
 */
const SLICE_MS = 10_000;
/** Meta's "object does not exist" (a post deleted on the Page): not a refusal of the metric. */
const OBJECT_GONE_SUBCODE = 33;

interface SyncCounter {
  calls: number;
  objects: number;
  /** When this run hands the queue back (Date.now() clock). */
  sliceEndsAt: number;
}

export type SyncStop = Exclude<InsightsSyncResult['outcome'], 'done' | 'no_page' | 'busy'>;

/** Why a run stopped early, and when to try again (a follow-up job is queued for then). */
export class SyncPaused extends Error {
  /** What the run did before it stopped. */
  progress = { objectsSynced: 0, calls: 0 };

  constructor(
    readonly outcome: SyncStop,
    readonly resumeAfterMs: number | null,
  ) {
    super(`The insights sync paused: ${outcome}`);
  }
}

/**
 * Reads the Page's insights into PostgreSQL, politely: each object only when its age makes it due, the
 * Page's own figures over windows of at most 90 days, and never past the budget Meta reports, so
 * publishing on the same Page always has room. A throttled Page or a dead token stops the run; the
 * Page's state (PageConnectionService) tells publishing and the admins the same thing.
 */
@Injectable()
export class InsightsSyncService {
  private readonly logger = new Logger(InsightsSyncService.name);

  constructor(
    private readonly db: DataSource,
    private readonly graph: GraphApi,
    private readonly pages: PageConnectionService,
    private readonly insights: InsightsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One pass over what is due. Throws SyncPaused when it had to stop early. */
  async sync(now = new Date()): Promise<InsightsSyncResult> {
    const run = await whileLocked(this.db, SYNC_LOCK, () => this.syncLocked(now));
    return run.ran ? run.value : { outcome: 'busy', objectsSynced: 0, calls: 0 };
  }

  private async syncLocked(now: Date): Promise<InsightsSyncResult> {
    const page = await this.pages.current();
    if (!page) return { outcome: 'no_page', objectsSynced: 0, calls: 0 };
    if (!(await this.pages.usable(page, now))) {
      const wait = page.throttledUntil ? Math.max(page.throttledUntil.getTime() - now.getTime(), 1000) : null;
      throw new SyncPaused('page_waiting', wait);
    }
    const open = await this.pages.open(page.id);
    if (!open) return { outcome: 'no_page', objectsSynced: 0, calls: 0 };

    const counter = { calls: 0, objects: 0, sliceEndsAt: Date.now() + SLICE_MS };
    try {
      await this.syncPage(open, now, counter);
      for (;;) {
        const due = await this.insights.due(page.id, now, BATCH);
        if (due.length === 0) break;
        for (const object of due) {
          await this.syncObject(open, object.publicationId, object.objectId, object.subject, now, counter);
          counter.objects += 1;
        }
      }
    } catch (error) {
      if (error instanceof SyncPaused) error.progress = { objectsSynced: counter.objects, calls: counter.calls };
      throw error;
    }
    return { outcome: 'done', objectsSynced: counter.objects, calls: counter.calls };
  }

  private async syncPage(open: OpenPage, now: Date, counter: SyncCounter): Promise<void> {
    const pageId = open.page.pageId;
    const last = await this.insights.lastSynced(pageId);
    if (last && now.getTime() - last.getTime() < PAGE_RESYNC_MS) return;
    const from = pageReadFrom(new Date(`${this.config.reach.campaignStartDate}T00:00:00+07:00`), last, now);
    const readings: Reading[] = [];
    for (const window of insightWindows(from, now)) {
      readings.push(...(await this.read(open, null, pageId, 'page', now, counter, window)));
    }
    await this.insights.record(readings, { objectId: pageId, subject: 'page', at: now });
    counter.objects += 1;
  }

  private async syncObject(open: OpenPage, publicationId: string, objectId: string, subject: 'post' | 'video', now: Date, counter: SyncCounter): Promise<void> {
    const readings = await this.read(open, publicationId, objectId, subject, now, counter);
    await this.insights.record(readings, { objectId, subject, at: now });
  }

  /** Every metric of the table for one object (and window), each group as one call the client splits on refusal. */
  private async read(
    open: OpenPage,
    publicationId: string | null,
    objectId: string,
    subject: InsightsSubject,
    now: Date,
    counter: SyncCounter,
    window?: { since: Date; until: Date },
  ): Promise<Reading[]> {
    const readings: Reading[] = [];
    for (const group of insightsRequests(subject)) {
      await this.pace(open.page.pageId, counter);
      counter.calls += 1;
      const result = await this.graph
        .getInsights(objectId, open.token, { metrics: group.metrics, period: group.period, edge: group.edge, ...window })
        .catch((error: unknown) => this.stopOn(open, error, now));
      const refused = result.refused.filter((r: MetricRefusal) => r.subcode !== OBJECT_GONE_SUBCODE);
      await this.insights.noteRefusals(open.page.id, subject, refused, Object.keys(result.values));
      readings.push({ pageRef: open.page.id, publicationId, objectId, subject, period: group.period, values: result.values, readAt: now, apiVersion: this.config.graph.version });
    }
    return readings;
  }

  /**
   * Waits before a call as long as the Page's budget needs (GraphApi.paceDelayMs), so a long sync runs at
   * the pace the ceiling allows and never into Meta's throttling. A wait past the end of this run's slice
   * (and a slice used up) ends the run: its follow-up job carries on, and publishing goes in between.
   */
  private async pace(pageId: string, counter: SyncCounter): Promise<void> {
    const wait = this.graph.paceDelayMs(pageId, this.config.reach.usageCeilingPercent);
    const sliceLeft = counter.sliceEndsAt - Date.now();
    if (wait > 0 && wait <= sliceLeft) {
      await delay(wait);
      return;
    }
    if (wait > 0) throw new SyncPaused('usage_ceiling', wait);
    if (sliceLeft <= 0) throw new SyncPaused('more_due', 0);
  }

  private async stopOn(open: OpenPage, error: unknown, now: Date): Promise<never> {
    if (!(error instanceof GraphError)) throw error;
    if (error.kind === 'throttled') {
      const wait = error.retryAfterMs ?? DEFAULT_THROTTLE_WAIT_MS;
      await this.pages.throttled(open.page.id, new Date(now.getTime() + wait), error);
      throw new SyncPaused('throttled', wait);
    }
    if (error.kind === 'token' || error.kind === 'permission') {
      await this.pages.needsReconnect(open.page.id, error);
      this.logger.warn('Insights wait for an admin to connect the Page again.');
      throw new SyncPaused('needs_reconnect', null);
    }
    throw error;
  }
}

import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { GraphApi } from '../src/modules/publishing/graph/graph-api.port';
import { Publication } from '../src/modules/publishing/publication.entity';
import { JobName, QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { InsightsSyncHandler } from '../src/modules/reach/insights/insights-sync.handler';
import { FakeGraph } from './fake-graph/fake-graph.server';
import { FakePage } from './fake-graph/fake-graph-state';
import { publishedPhoto, ReachRig, startReachRig } from './support/reach-helpers';
import { as } from './support/review-helpers';
import { closeTestDb, signedIn, startTestWorker, TestApp } from './support/test-app';

const HOUR = 3600_000;

describe('Insights sync (through the fake Graph API)', () => {
  let fake: FakeGraph;
  let page: FakePage;
  let rig: ReachRig;
  let api: TestApp;
  let worker: INestApplicationContext;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let posts: Publication[];
  /** The app's clock for the sync, moved with the fake's so posts age alike on both sides. */
  let clock = 0;

  const sync = () => worker.get(InsightsSyncHandler).runOnce(new Date(Date.now() + clock));
  const later = (ms: number) => {
    clock += ms;
    fake.advanceClock(ms);
  };
  const latest = async (objectId: string, metric: string) => {
    const [row] = await rig.db.query(`SELECT value_number::float AS n FROM insight_latest WHERE object_id = $1 AND metric = $2`, [objectId, metric]);
    return row?.n as number | undefined;
  };
  const snapshots = async (objectId: string, metric: string) =>
    rig.db.query(`SELECT value, read_at, api_version, period FROM insight_snapshots WHERE object_id = $1 AND metric = $2 ORDER BY read_at`, [objectId, metric]);
  /** What the leads' dashboard shows for a post's item: in the top list and in the breakdown by item. */
  const onDashboard = async (p: Publication) => {
    const item = (await as(api, admin.token).get('/reach/testimonies?limit=100')).body.find((t: { testimonyId: string }) => t.testimonyId === p.testimonyId);
    const row = (await as(api, admin.token).get('/reach/breakdown?by=item')).body.find((r: { key: string }) => r.key === p.testimonyId);
    const progress = (await as(api, admin.token).get('/reach/progress')).body;
    return { reach: item.onlineReachAccounts, views: item.onlineViews, rowReach: row.onlineLargestReachAccounts, rowViews: row.onlineViews, largestReach: progress.online.estimateAccounts };
  };
  /** The pause is over on the fake's clock; Meta's next answer reports room again on the app's real one. */
  const metaReportsRoom = () => worker.get(GraphApi).getInsights(page.id, page.token, { metrics: ['page_media_view'], period: 'day' });
  const pageRow = async () => (await rig.db.query(`SELECT state, throttled_until, state_reason FROM facebook_pages WHERE page_id = $1 AND disconnected_at IS NULL`, [page.id]))[0];

  beforeAll(async () => {
    fake = await FakeGraph.start();
    page = fake.addPage({ name: 'Migra Action' });
    const env = { ...fake.env, GRAPH_REQUEST_TIMEOUT_MS: '1500' };
    rig = await startReachRig(env);
    ({ api, worker } = rig);
    const db = rig.db;
    admin = await signedIn(api.url, 'admin', { db });
    const editor = await signedIn(api.url, 'editor', { db });
    const educator = await signedIn(api.url, 'educator', { db });
    expect((await as(api, admin.token).put('/admin/page', { pageId: page.id, token: page.token })).status).toBe(200);
    posts = [(await publishedPhoto(rig, educator, editor)).publication, (await publishedPhoto(rig, educator, editor)).publication];
    later(5 * HOUR);
  });
  afterEach(() => {
    fake.clearFaults();
    fake.rateLimit = undefined;
    fake.state.retiredMetrics.clear();
  });
  afterAll(async () => {
    await rig.close();
    await fake.close();
    await closeTestDb();
  });

  it('stores each post’s and the Page’s figures with when they were read and the API version, asking only current metric names', async () => {
    const result = await sync();

    expect(result).toMatchObject({ outcome: 'done', objectsSynced: 3 });
    for (const p of posts) {
      const [reach] = await snapshots(p.postId!, 'post_total_media_view_unique');
      expect(reach).toMatchObject({ api_version: 'v25.0', period: 'lifetime' });
      expect(reach.value).toBeGreaterThan(0);
      expect(await latest(p.postId!, 'post_reactions_by_type_total')).toBeNull();
    }
    expect((await snapshots(page.id, 'page_media_view')).length).toBeGreaterThan(0);
    const asked = fake.requests.filter((r) => /insights$/.test(r.path)).flatMap((r) => r.params.metric.split(','));
    expect(asked).toContain('post_media_view');
    expect(asked.filter((m) => /impressions|page_fans/.test(m))).toEqual([]);
    expect(fake.requests.filter((r) => r.path === `/${page.id}/insights`).every((r) => Number(r.params.until) - Number(r.params.since) <= 90 * 24 * 3600)).toBe(true);
  });

  it('reads nothing again until a post is due; a later reading is kept beside the first, and shows growth', async () => {
    expect(await sync()).toMatchObject({ outcome: 'done', objectsSynced: 0, calls: 0 });
    const before = await latest(posts[0].postId!, 'post_media_view');

    later(7 * HOUR);
    expect(await sync()).toMatchObject({ outcome: 'done', objectsSynced: 3 });

    expect(await snapshots(posts[0].postId!, 'post_media_view')).toHaveLength(2);
    expect(await latest(posts[0].postId!, 'post_media_view')).toBeGreaterThan(before!);
  });

  it('shows each post’s newest figures on the dashboard, and the higher ones after the next sync', async () => {
    const reach = (p: Publication) => latest(p.postId!, 'post_total_media_view_unique');
    const views = (p: Publication) => latest(p.postId!, 'post_media_view');
    const shown = await onDashboard(posts[0]);
    expect(shown).toMatchObject({ reach: await reach(posts[0]), views: await views(posts[0]), rowReach: await reach(posts[0]), rowViews: await views(posts[0]) });
    expect(shown.largestReach).toBeGreaterThanOrEqual(Math.max((await reach(posts[0]))!, (await reach(posts[1]))!));

    later(7 * HOUR);
    expect(await sync()).toMatchObject({ outcome: 'done', objectsSynced: 3 });

    const grown = await onDashboard(posts[0]);
    expect(grown.views).toBeGreaterThan(shown.views);
    expect(grown.reach).toBeGreaterThan(shown.reach);
    expect(grown).toMatchObject({ reach: await reach(posts[0]), views: await views(posts[0]), rowReach: grown.reach, rowViews: grown.views });
    expect(grown.largestReach).toBeGreaterThanOrEqual(grown.reach);
  });

  it('stores every other metric when Meta removes one, and remembers the refusal until it answers again', async () => {
    fake.state.retiredMetrics.add('post_clicks');
    later(7 * HOUR);
    const before = await latest(posts[0].postId!, 'post_media_view');

    expect(await sync()).toMatchObject({ outcome: 'done' });

    expect(await latest(posts[0].postId!, 'post_media_view')).toBeGreaterThan(before!);
    const db = rig.db;
    expect(await db.query(`SELECT subject, metric, code FROM insight_refusals`)).toEqual([{ subject: 'post', metric: 'post_clicks', code: 100 }]);

    fake.state.retiredMetrics.clear();
    later(7 * HOUR);
    await sync();
    expect(await db.query(`SELECT metric FROM insight_refusals`)).toEqual([]);
  });

  it('stops before Meta throttles when the budget frees up only after its slice, and queues its own next run', async () => {
    fake.rateLimit = { calls: 3, windowMs: HOUR };
    later(7 * HOUR);
    const calls = fake.requests.length;

    const result = await sync();

    expect(result.outcome).toBe('usage_ceiling');
    expect(fake.requests.length - calls).toBe(3);
    expect((await pageRow()).state).toBe('working');
    const queue: Queue = worker.get(JobQueue).queue(QueueName.Publishing);
    expect((await queue.getDelayed()).some((j) => j.name === JobName.InsightsSync)).toBe(true);
  });

  it('backs off when throttled: the Page waits (publishing too) until the time Meta gives, then the sync goes on', async () => {
    await metaReportsRoom();
    later(7 * HOUR);
    fake.failNext({ method: 'GET', path: /insights$/, fault: { error: { code: 80001, regainAccessMinutes: 7 } } });

    expect((await sync()).outcome).toBe('throttled');
    const throttled = await pageRow();
    expect(throttled.state).toBe('throttled');
    expect(throttled.throttled_until.getTime()).toBeGreaterThan(Date.now() + clock + 6 * 60_000);

    const calls = fake.requests.length;
    expect((await sync()).outcome).toBe('page_waiting');
    expect(fake.requests.length).toBe(calls);

    later(8 * 60_000);
    await metaReportsRoom();
    expect(await sync()).toMatchObject({ outcome: 'done' });
    expect((await pageRow()).state).toBe('working');
  });

  it('paces a long sync to the Page’s budget: it waits for its own calls to leave Meta’s window instead of stopping, and is never throttled', async () => {
    const window = 2000;
    const paced = await startTestWorker({ ...fake.env, DATABASE_URL: rig.iso.url, INSIGHTS_SYNC_INTERVAL_MINUTES: '0', GRAPH_PAGE_BUDGET_WINDOW_SECONDS: String(window / 1000), INSIGHTS_USAGE_CEILING_PERCENT: '50' });
    try {
      fake.rateLimit = { calls: 4, windowMs: window };
      later(7 * HOUR);
      const from = fake.requests.length;
      const started = Date.now();

      const result = await paced.get(InsightsSyncHandler).runOnce(new Date(Date.now() + clock));

      expect(result).toMatchObject({ outcome: 'done', objectsSynced: 3 });
      const calls = fake.requests.length - from;
      // More calls than half the budget allows at once: the run had to wait for the window to roll on.
      expect(calls).toBeGreaterThan(2);
      expect(Date.now() - started).toBeGreaterThan(window);
      expect(fake.mostCallsWithin(window, from)).toBeLessThanOrEqual(2);
    } finally {
      await paced.close();
    }
  });

  it('waits when the token stops working, and tells the admins on the Page connection', async () => {
    later(7 * HOUR);
    fake.breakToken(page.token, 463);

    expect((await sync()).outcome).toBe('needs_reconnect');

    const shown = await as(api, admin.token).get('/page');
    expect(shown.body).toMatchObject({ state: 'needs_reconnect' });
    const [audit] = await rig.db.query(`SELECT action FROM audit_events WHERE action = 'page.needs_reconnect'`);
    expect(audit).toBeDefined();
    const calls = fake.requests.length;
    expect((await sync()).outcome).toBe('page_waiting');
    expect(fake.requests.length).toBe(calls);
  });

  it('runs on a job scheduler of the publishing queue, which a setting of 0 removes', async () => {
    const queue: Queue = worker.get(JobQueue).queue(QueueName.Publishing);
    const env = { ...fake.env, DATABASE_URL: rig.iso.url };
    const hourly = await startTestWorker({ ...env, INSIGHTS_SYNC_INTERVAL_MINUTES: '60' });
    await hourly.close();
    expect(await queue.getJobScheduler(JobName.InsightsSync)).toMatchObject({ every: 3_600_000 });

    const off = await startTestWorker({ ...env, INSIGHTS_SYNC_INTERVAL_MINUTES: '0' });
    await off.close();
    expect(await queue.getJobScheduler(JobName.InsightsSync)).toBeUndefined();
  });
});

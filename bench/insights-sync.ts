/**
 * A full insights sync of 5,000 posts against the fake Page's rate limit: the time it takes beside the
 * least time that limit allows (the whole budget spent at once, then again each time Meta's window has
 * rolled past it). Target: within 1.2x, with the fake never answering a throttling error.
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { Scheduling } from '../src/modules/publishing/facebook-page.entity';
import { PageConnectionService } from '../src/modules/publishing/page-connection.service';
import { JobName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { WorkerModule } from '../src/worker.module';
import { FakeGraph } from '../test/fake-graph/fake-graph.server';
import { BenchEnv, note } from './support';

const POSTS = 5000;
/** The fake Page's budget: 250 calls per rolling 4 s (Meta's is 4,800 per engaged user per 24 h). */
const BUDGET = { calls: 250, windowMs: 4000 };
const STALL_MS = 30_000;

export async function benchInsightsSync(env: BenchEnv): Promise<void> {
  const fake = await FakeGraph.start();
  const page = fake.addPage();
  const config = loadConfig({ ...env, ...fake.env, INSIGHTS_SYNC_INTERVAL_MINUTES: '0', GRAPH_PAGE_BUDGET_WINDOW_SECONDS: String(BUDGET.windowMs / 1000) });
  const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await worker.init();
  try {
    const db = worker.get(DataSource);
    const connected = await worker.get(PageConnectionService, { strict: false }).connect(null, { pageId: page.id, token: page.token, scheduling: Scheduling.Worker });
    await publishedPosts(db, fake, page.id, connected.id);
    fake.rateLimit = BUDGET;
    const from = fake.requests.length;

    const started = Date.now();
    await worker.get(JobQueue).enqueue(JobName.InsightsSync, { reason: 'scheduled' }, { jobId: 'bench-insights-sync' });
    let progress = { synced: -1, at: Date.now() };
    for (;;) {
      const [{ synced }] = await db.query(`SELECT count(*)::int AS synced FROM insight_sync_marks m JOIN publications p ON p.post_id = m.object_id WHERE p.page_ref = $1`, [connected.id]);
      if (synced === POSTS) break;
      const [{ state }] = await db.query(`SELECT state FROM facebook_pages WHERE id = $1`, [connected.id]);
      if (state !== 'working') throw new Error(`the sync left the Page ${state} after ${synced} posts`);
      if (synced !== progress.synced) progress = { synced, at: Date.now() };
      // Longer than a slice and a window together: a sync that stops here queued no next part.
      if (Date.now() - progress.at > STALL_MS) throw new Error(`the sync stopped after ${synced} of ${POSTS} posts`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (Date.now() - started) / 1000;

    const calls = fake.requests.length - from;
    const busiest = fake.mostCallsWithin(BUDGET.windowMs, from);
    const minimum = ((Math.ceil(calls / BUDGET.calls) - 1) * BUDGET.windowMs) / 1000;
    note(
      `Insights sync of ${POSTS.toLocaleString('en')} posts (${calls} calls) against ${BUDGET.calls} calls per ${BUDGET.windowMs / 1000} s: time vs the least the limit allows (s)`,
      seconds.toFixed(1),
      `${minimum.toFixed(1)} (busiest window: ${busiest} calls of ${BUDGET.calls})`,
      `${(seconds / minimum).toFixed(2)}x`,
      '<= 1.2x, never throttled',
    );
  } finally {
    await worker.close();
    await fake.close();
  }
}

/** Posts on the fake Page, each with its published publication, all young enough to be due at once. */
async function publishedPosts(db: DataSource, fake: FakeGraph, pageId: string, pageRef: string): Promise<void> {
  const postIds = Array.from({ length: POSTS }, () => fake.state.newPost({ pageId, kind: 'photo', message: 'bench', published: true }).id);
  const [{ id: educator }] = await db.query(
    `INSERT INTO users (username, display_name, password_hash, role, commune_id)
     VALUES ('bench-sync-educator', 'Bench', 'x', 'educator', (SELECT id FROM communes ORDER BY code LIMIT 1)) RETURNING id`,
  );
  await db.query(
    `WITH items AS (
       INSERT INTO testimonies (title, kind, language, status, commune_id, educator_id)
       SELECT 'bench ' || g, 'photo', 'km', 'approved', (SELECT id FROM communes ORDER BY code LIMIT 1), $1 FROM generate_series(1, $2::int) g
       RETURNING id),
     decided AS (INSERT INTO testimony_decisions (testimony_id, kind) SELECT id, 'approved' FROM items RETURNING id, testimony_id)
     INSERT INTO publications (testimony_id, page_ref, decision_id, kind, state, scheduled_at, pinned, post_id, published_at)
     SELECT d.testimony_id, $3, d.id, 'photo', 'published', now(), '{}', ids.post_id, now() - interval '1 hour'
       FROM (SELECT *, row_number() OVER () AS n FROM decided) d JOIN unnest($4::text[]) WITH ORDINALITY ids(post_id, n) USING (n)`,
    [educator, POSTS, pageRef, postIds],
  );
}

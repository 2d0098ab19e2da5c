import { INestApplicationContext } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { PublicationAttempt } from '../src/modules/publishing/publication-attempt.entity';
import { MediaKind } from '../src/modules/testimonies/testimony-status';
import { FakeGraph, FaultRule } from './fake-graph/fake-graph.server';
import { FakePage } from './fake-graph/fake-graph-state';
import { apiEntryPoint, REPO_ROOT, waitFor } from './support/faults';
import { approvedItem, publicationSettled, VIDEO_CHUNK } from './support/publishing-fixtures';
import { as } from './support/review-helpers';
import { closeTestDb, signedIn, startTestApp, startTestWorker, TestApp, testDb } from './support/test-app';
import { dropQueueKeys, specQueuePrefix, testEnv } from './support/test-env';

type Signed = Awaited<ReturnType<typeof signedIn>>;

/**
 * A worker killed with SIGKILL at each step of a publication, after Meta already did the step (its answer
 * never came back): the next worker must finish the publication, and the Page must end with one post.
 */
const STEPS: { step: string; kind: MediaKind; captions?: boolean; rule: Omit<FaultRule, 'fault'> }[] = [
  { step: 'the photo post', kind: MediaKind.Photo, rule: { method: 'POST', path: /\/photos$/ } },
  { step: 'the start of a video upload', kind: MediaKind.Video, rule: { method: 'POST', params: { upload_phase: 'start' } } },
  { step: 'a video chunk', kind: MediaKind.Video, rule: { method: 'POST', params: { upload_phase: 'transfer', start_offset: String(2 * VIDEO_CHUNK) } } },
  { step: 'the video finish', kind: MediaKind.Video, rule: { method: 'POST', params: { upload_phase: 'finish' } } },
  { step: 'the caption file', kind: MediaKind.Video, captions: true, rule: { method: 'POST', path: /\/captions$/ } },
];

describe('Publishing when the worker is killed between steps', () => {
  // Short locks, so a killed worker's job is taken up again within seconds.
  const env = { MEDIA_JOB_LOCK_SECONDS: '3', MEDIA_STALLED_CHECK_SECONDS: '1', PUBLISH_VIDEO_POLL_MS: '100' };
  let fake: FakeGraph;
  let page: FakePage;
  let api: TestApp;
  let educator: Signed;
  let editor: Signed;
  let build: Awaited<ReturnType<typeof apiEntryPoint>>;

  beforeAll(async () => {
    fake = await FakeGraph.start({ videoChunkBytes: VIDEO_CHUNK, videoProcessingPolls: 1, videoProcessingMs: 60_000 });
    page = fake.addPage();
    Object.assign(env, fake.env);
    api = await startTestApp({ env });
    educator = await signedIn(api.url, 'educator');
    editor = await signedIn(api.url, 'editor');
    const admin = await signedIn(api.url, 'admin');
    expect((await as(api, admin.token).put('/admin/page', { pageId: page.id, token: page.token })).status).toBe(200);
    build = await apiEntryPoint();
  });
  afterAll(async () => {
    build.cleanup();
    await api.close();
    await fake.close();
    await dropQueueKeys(specQueuePrefix());
    await closeTestDb();
  });

  it.each(STEPS)('finishes with one post when the worker dies right after $step', async ({ kind, captions, rule }) => {
    const message = `crash-${Math.random().toString(36).slice(2)}`;
    let doomed: ChildProcess | undefined;
    let next: INestApplicationContext | undefined;
    try {
      // The killed worker waits for the lost answer far longer than the test lasts.
      doomed = spawn(process.execPath, [join(dirname(build.main), 'worker.js')], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), ...testEnv(), ...env, GRAPH_REQUEST_TIMEOUT_MS: '120000' },
        stdio: 'ignore',
      });
      const { item } = await approvedItem(api, { educator, editor }, kind, { captions });
      const seen = fake.requests.length;
      fake.failNext({ ...rule, fault: { hang: 'after' } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: message });
      expect(res.status).toBe(201);
      const matches = (r: (typeof fake.requests)[number]) =>
        (!rule.method || r.method === rule.method) && (!rule.path || rule.path.test(r.path)) && Object.entries(rule.params ?? {}).every(([k, v]) => r.params[k] === v);
      await waitFor('the step to reach the fake Page', async () => fake.requests.slice(seen).some(matches), 30_000, 50);
      doomed.kill('SIGKILL');

      next = await startTestWorker(env);
      const done = await publicationSettled(res.body.id, ['published', 'failed'], 40_000);
      expect(done.state).toBe('published');
      const onPage = kind === MediaKind.Photo
        ? fake.posts(page.id).filter((p) => p.message === message && !p.deleted)
        : fake.videos(page.id).filter((v) => v.description === message && v.finishedAt);
      expect(onPage).toHaveLength(1);
      if (captions) expect(fake.videos(page.id).find((v) => v.id === done.videoId)?.captions.map((c) => c.locale)).toEqual(['km_KH']);
      // The restarted worker looked on the Page before sending anything again.
      const steps = await (await testDb()).getRepository(PublicationAttempt).find({ where: { publicationId: res.body.id }, order: { startedAt: 'ASC' } });
      expect(steps.map((s) => s.step)).toContain('reconcile');
    } finally {
      doomed?.kill('SIGKILL');
      await next?.close();
      fake.clearFaults();
    }
  });
});

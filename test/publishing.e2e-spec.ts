import { INestApplicationContext } from '@nestjs/common';
import { PublicationAttempt } from '../src/modules/publishing/publication-attempt.entity';
import { publishJobId, takeDownJobId } from '../src/modules/publishing/publishing.job';
import { JobName, QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { JobReconciler } from '../src/modules/queues/job-reconciler';
import { MediaKind, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { FakeGraph } from './fake-graph/fake-graph.server';
import { FakePage } from './fake-graph/fake-graph-state';
import { waitFor } from './support/faults';
import { approvedItem, publicationRow, publicationSettled, VIDEO_CHUNK } from './support/publishing-fixtures';
import { as, consentBody } from './support/review-helpers';
import { closeTestDb, createTestTestimony, signedIn, startTestApp, startTestWorker, TestApp, testDb } from './support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;
const CHUNK = VIDEO_CHUNK;
const MIN = 60_000;

describe('Publishing to the Page (through the fake Graph API)', () => {
  let fake: FakeGraph;
  let page: FakePage;
  let api: TestApp;
  let worker: INestApplicationContext;
  let educator: Signed;
  let editor: Signed;
  let secondEditor: Signed;
  let admin: Signed;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await FakeGraph.start({ videoChunkBytes: CHUNK, videoProcessingPolls: 2, videoProcessingMs: 60_000 });
    page = fake.addPage({ name: 'Migra Action' });
    env = { ...fake.env, GRAPH_REQUEST_TIMEOUT_MS: '1500', PUBLISH_VIDEO_POLL_MS: '100' };
    api = await startTestApp({ env });
    worker = await startTestWorker(env);
    educator = await signedIn(api.url, 'educator');
    editor = await signedIn(api.url, 'editor');
    secondEditor = await signedIn(api.url, 'editor');
    admin = await signedIn(api.url, 'admin');
  });
  afterEach(() => fake.clearFaults());
  afterAll(async () => {
    await worker.close();
    await api.close();
    await fake.close();
    await closeTestDb();
  });

  const connect = (token = page.token) => as(api, admin.token).put('/admin/page', { pageId: page.id, token });
  const inAnHour = () => new Date(Date.now() + 60 * MIN).toISOString();
  const row = publicationRow;
  const settled = (id: string, states: string[]) => publicationSettled(id, states);
  const livePosts = (message: string) => fake.posts(page.id).filter((p) => p.message.startsWith(message) && !p.deleted);

  const approved = (kind: MediaKind, options: { captions?: boolean } = {}) => approvedItem(api, { educator, editor }, kind, options);

  describe('connecting the Page', () => {
    it('refuses a person’s token, another Page’s token, and one without the permissions publishing needs', async () => {
      const userToken = fake.addToken('USER', '900000001');
      const other = fake.addPage({ name: 'Someone else' });
      const weak = fake.addToken('PAGE', page.id, { scopes: ['pages_read_engagement'] });
      const answers = [await connect(userToken), await connect(other.token), await connect(weak)];
      expect(answers.map((a) => [a.status, a.body.code])).toEqual([
        [400, 'PAGE_TOKEN_WRONG_TYPE'],
        [400, 'PAGE_TOKEN_OTHER_PAGE'],
        [400, 'PAGE_TOKEN_MISSING_PERMISSIONS'],
      ]);
      expect(answers[2].body.figures.missing).toEqual(['pages_manage_posts', 'publish_video']);
    });

    it('keeps the token sealed: connected, working, and never shown again', async () => {
      const res = await connect();
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ connected: true, pageId: page.id, name: 'Migra Action', state: 'working', simulated: false });
      expect(JSON.stringify(res.body)).not.toContain(page.token);
      const [stored] = await (await testDb()).query(`SELECT token_sealed FROM facebook_pages WHERE page_id = $1 AND disconnected_at IS NULL`, [page.id]);
      expect(stored.token_sealed).not.toContain(page.token);
      expect((await as(api, educator.token).put('/admin/page', { pageId: page.id, token: page.token })).status).toBe(403);
    });
  });

  describe('scheduling', () => {
    it('refuses an item that is not approved, a time outside 10 minutes to 30 days, a time without its zone, and a post without Khmer text', async () => {
      const draft = await createTestTestimony(educator, { status: TestimonyStatus.InReview });
      const { item } = await approved(MediaKind.Photo);
      const at = (ms: number) => new Date(Date.now() + ms).toISOString();
      const tries = [
        await as(api, editor.token).post('/publications', { testimonyId: draft.id, at: inAnHour(), messageKm: 'x' }),
        await as(api, editor.token).post('/publications', { testimonyId: item.id, at: at(-MIN), messageKm: 'x' }),
        await as(api, editor.token).post('/publications', { testimonyId: item.id, at: at(5 * MIN), messageKm: 'x' }),
        await as(api, editor.token).post('/publications', { testimonyId: item.id, at: at(31 * 24 * 60 * MIN), messageKm: 'x' }),
        await as(api, editor.token).post('/publications', { testimonyId: item.id, at: '2026-12-20T19:00:00', messageKm: 'x' }),
        // Only spaces and a bidi override: nothing Facebook would show, and nothing a lost post could be found by.
        await as(api, editor.token).post('/publications', { testimonyId: item.id, at: inAnHour(), messageKm: ' \u202e ', messageEn: 'My story' }),
      ];
      expect(tries.map((t) => t.body.code)).toEqual(['NOT_ALLOWED_IN_STATE', 'SCHEDULE_IN_PAST', 'SCHEDULE_TOO_SOON', 'SCHEDULE_TOO_FAR', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
    });

    it('lets one of two editors scheduling the same item at once win', async () => {
      const { item } = await approved(MediaKind.Photo);
      const body = { testimonyId: item.id, at: inAnHour(), messageKm: 'ពេលវេលា' };
      const [a, b] = await Promise.all([as(api, editor.token).post('/publications', body), as(api, secondEditor.token).post('/publications', body)]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      expect((a.status === 409 ? a : b).body.code).toBe('ALREADY_SCHEDULED');
    });

    it('stores the time in UTC and moves it when rescheduled; a cancelled one never reaches the Page', async () => {
      const { item } = await approved(MediaKind.Photo);
      const created = await as(api, editor.token).post('/publications', { testimonyId: item.id, at: '2026-12-20T19:00:00+07:00', messageKm: 'បោះបង់' });
      expect(created.body.scheduledAt).toBe('2026-12-20T12:00:00.000Z');
      const moved = await as(api, editor.token).put(`/publications/${created.body.id}/time`, { at: '2026-12-21T08:30:00+07:00', expectedVersion: 1 });
      expect(moved.body).toMatchObject({ scheduledAt: '2026-12-21T01:30:00.000Z', version: 2 });
      const stale = await as(api, secondEditor.token).put(`/publications/${created.body.id}/time`, { at: '2026-12-22T08:30:00+07:00', expectedVersion: 1 });
      expect(stale.body.code).toBe('STATE_CHANGED');
      expect((await as(api, editor.token).post(`/publications/${created.body.id}/cancel`)).body.state).toBe('cancelled');
      expect(livePosts('បោះបង់')).toEqual([]);
    });
  });

  describe('never a double post', () => {
    it('publishes a photo now, once, with the pinned JPEG, and shows the educator the link', async () => {
      const { item, sha256 } = await approved(MediaKind.Photo);
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'រឿងរបស់ខ្ញុំ', messageEn: 'My story' });
      expect(res.status).toBe(201);
      const done = await settled(res.body.id, ['published']);
      const posts = livePosts('រឿងរបស់ខ្ញុំ');
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatchObject({ message: 'រឿងរបស់ខ្ញុំ\n\nMy story', id: done.postId, photo: { sha256 } });
      const mine = await as(api, educator.token).get(`/testimonies/${item.id}/publications`);
      expect(mine.body[0]).toMatchObject({ state: 'published', postUrl: `https://www.facebook.com/${done.postId}` });
    });

    it('finds a photo whose answer was lost after the post was made, instead of posting it again', async () => {
      const { item } = await approved(MediaKind.Photo);
      fake.failNext({ method: 'POST', path: /\/photos$/, fault: { hang: 'after' } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'ចម្លើយបាត់' });
      await settled(res.body.id, ['unknown']);
      expect(livePosts('ចម្លើយបាត់')).toHaveLength(1);
      await as(api, editor.token).post(`/publications/${res.body.id}/reconcile`);
      const done = await settled(res.body.id, ['published']);
      expect(livePosts('ចម្លើយបាត់')).toEqual([expect.objectContaining({ id: done.postId })]);
      const steps = await (await testDb()).getRepository(PublicationAttempt).find({ where: { publicationId: res.body.id }, order: { startedAt: 'ASC' } });
      expect(steps.map((s) => [s.step, s.outcome])).toEqual([
        ['photo', 'unknown'],
        ['reconcile', 'found'],
      ]);
    });

    it('looks again at each reconciliation for a lost answer whose job gave up, rather than waiting for an editor', async () => {
      const { item } = await approved(MediaKind.Photo);
      fake.failNext({ method: 'POST', path: /\/photos$/, fault: { hang: 'after' } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'រកម្ដងទៀត' });
      const lost = await settled(res.body.id, ['unknown']);
      const jobs = api.app.get(JobQueue);
      for (const job of await jobs.queue(QueueName.Publishing).getJobs(['delayed', 'waiting', 'completed', 'failed'])) {
        if (job.data.publicationId === lost.id) await job.remove();
      }
      // Its look on the Page fails until BullMQ gives the job up.
      fake.failNext({ method: 'GET', path: /\/published_posts$/, times: 5, fault: { error: { code: 2 } } });
      const look = await jobs.enqueue(JobName.PublishPublication, { publicationId: lost.id, version: lost.version }, { jobId: publishJobId(lost.id, lost.version), attempts: 1 });
      await waitFor('the look to be given up', async () => (await look.getState()) === 'failed');
      expect((await row(lost.id)).state).toBe('unknown');

      fake.clearFaults();
      expect((await worker.get(JobReconciler).reconcile()).requeued).toBeGreaterThanOrEqual(1);
      const done = await settled(lost.id, ['published']);
      expect(livePosts('រកម្ដងទៀត')).toEqual([expect.objectContaining({ id: done.postId })]);
    });

    it('does not take another item\'s post with the same words for its own lost one', async () => {
      const first = await approved(MediaKind.Photo);
      const one = await as(api, editor.token).post('/publications', { testimonyId: first.item.id, publishNow: true, messageKm: 'ពាក្យដូចគ្នា' });
      const out = await settled(one.body.id, ['published']);
      const second = await approved(MediaKind.Photo);
      // Its call never reached Facebook, and no answer came: only a look on the Page can tell.
      fake.failNext({ method: 'POST', path: /\/photos$/, fault: { hang: 'before' } });
      const two = await as(api, editor.token).post('/publications', { testimonyId: second.item.id, publishNow: true, messageKm: 'ពាក្យដូចគ្នា' });
      await settled(two.body.id, ['unknown']);
      await as(api, editor.token).post(`/publications/${two.body.id}/reconcile`);
      const done = await settled(two.body.id, ['published']);
      expect(done.postId).not.toBe(out.postId);
      expect(livePosts('ពាក្យដូចគ្នា').map((p) => p.id).sort()).toEqual([out.postId, done.postId].sort());
    });

    it('sends a photo whose words match another\'s lost answer only once that answer is found, so neither takes the other\'s post', async () => {
      const words = 'ពាក្យដូចគ្នា ម្ដងទៀត';
      const first = await approved(MediaKind.Photo);
      const second = await approved(MediaKind.Photo);
      // Each create call makes its post and loses the answer.
      fake.failNext({ method: 'POST', path: /\/photos$/, times: 2, fault: { hang: 'after' } });
      const one = await as(api, editor.token).post('/publications', { testimonyId: first.item.id, publishNow: true, messageKm: words });
      await settled(one.body.id, ['unknown']);
      const two = await as(api, editor.token).post('/publications', { testimonyId: second.item.id, publishNow: true, messageKm: words });
      const publishing = api.app.get(JobQueue).queue(QueueName.Publishing);
      const putOff = await waitFor('the second to be put off', async () => (await publishing.getJobs(['delayed'])).find((job) => job.data.publicationId === two.body.id));
      expect((await row(two.body.id)).state).toBe('scheduled');
      expect(livePosts(words)).toHaveLength(1);

      await as(api, editor.token).post(`/publications/${one.body.id}/reconcile`);
      const firstOut = await settled(one.body.id, ['published']);
      await putOff.promote();
      await settled(two.body.id, ['unknown']);
      await as(api, editor.token).post(`/publications/${two.body.id}/reconcile`);
      const secondOut = await settled(two.body.id, ['published']);
      const photoOf = (postId: string | null) => livePosts(words).find((post) => post.id === postId)?.photo?.sha256;
      expect(photoOf(firstOut.postId)).toBe(first.sha256);
      expect(photoOf(secondOut.postId)).toBe(second.sha256);
      expect(livePosts(words)).toHaveLength(2);
    });

    it('uploads a video in chunks streamed from storage, going on after a lost chunk answer (wrong offset) and a transient error on finish, with Khmer captions', async () => {
      const { item, sha256 } = await approved(MediaKind.Video, { captions: true });
      // The second chunk arrives but its answer is lost: the next try sends from the old offset, and
      // Facebook answers 1363037 with the offsets it wants.
      fake.failNext({ method: 'POST', params: { upload_phase: 'transfer', start_offset: String(CHUNK) }, fault: { drop: 'after' } });
      fake.failNext({ method: 'POST', params: { upload_phase: 'finish' }, fault: { error: { code: 2 } } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'វីដេអូ' });
      const done = await settled(res.body.id, ['published', 'failed']);
      expect(done.state).toBe('published');
      const videos = fake.videos(page.id).filter((v) => v.id === done.videoId);
      expect(videos).toHaveLength(1);
      expect(videos[0]).toMatchObject({ sha256, description: 'វីដេអូ' });
      expect(videos[0].captions.map((c) => c.locale)).toEqual(['km_KH']);
      // The chunk whose answer was lost was offered again, and Facebook's offsets were followed from there.
      const transfers = fake.requests.filter((r) => r.params.upload_session_id === done.uploadSessionId && r.params.upload_phase === 'transfer');
      expect(transfers.filter((r) => r.params.start_offset === String(CHUNK)).length).toBe(2);
      expect(fake.videos(page.id).filter((v) => v.description === 'វីដេអូ' && v.finishedAt)).toHaveLength(1);
    });

    it('waits, without failing, while the token is broken, and goes out once an admin connects again', async () => {
      const { item } = await approved(MediaKind.Photo);
      fake.breakToken(page.token, 463);
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'រង់ចាំ' });
      await waitFor('the Page to need connecting again', async () => (await as(api, editor.token).get('/page')).body.state === 'needs_reconnect');
      expect((await row(res.body.id)).state).toBe('scheduled');
      page.token = fake.addToken('PAGE', page.id);
      expect((await connect(page.token)).body.state).toBe('working');
      await settled(res.body.id, ['published']);
      expect(livePosts('រង់ចាំ')).toHaveLength(1);
    });

    it('pauses the Page when throttled in the middle of an upload, then goes on from the offset Facebook has', async () => {
      const { item, sha256 } = await approved(MediaKind.Video);
      fake.failNext({ method: 'POST', params: { upload_phase: 'transfer' }, times: 1, fault: { error: { code: 80001, regainAccessMinutes: 30 } } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'ការកំណត់' });
      await waitFor('the Page to be throttled', async () => (await as(api, editor.token).get('/page')).body.state === 'throttled');
      const waiting = await row(res.body.id);
      expect(waiting).toMatchObject({ state: 'scheduled' });
      expect(waiting.videoId).not.toBeNull();
      // The half hour Facebook asked for, passed.
      await (await testDb()).query(`UPDATE facebook_pages SET throttled_until = now() - interval '1 second'`);
      await as(api, editor.token).post(`/publications/${res.body.id}/publish-now`);
      const done = await settled(res.body.id, ['published']);
      expect(done.videoId).toBe(waiting.videoId);
      expect(fake.videos(page.id).find((v) => v.id === done.videoId)).toMatchObject({ sha256 });
    });
  });

  describe('once a copy may be on the Page', () => {
    /** Waits until a chunk of the publication's upload has reached Facebook; answers the upload session. */
    const chunkOnItsWay = (publicationId: string) =>
      waitFor('a chunk on its way', async () => {
        const p = await row(publicationId);
        return fake.requests.some((r) => r.params.upload_session_id === p.uploadSessionId && r.params.upload_phase === 'transfer') ? p.uploadSessionId : null;
      });
    const finishes = (sessionId: string | null) => fake.requests.filter((r) => r.params.upload_session_id === sessionId && r.params.upload_phase === 'finish');

    it('keeps a public video published when Meta refuses its caption file, and a withdrawal still takes it down', async () => {
      const { item } = await approved(MediaKind.Video, { captions: true });
      fake.failNext({ method: 'POST', path: /\/captions$/, fault: { error: { code: 100, message: 'Invalid caption file' } } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'ចំណងជើងត្រូវបដិសេធ' });
      const done = await settled(res.body.id, ['published', 'failed']);
      // Failed would let an editor send it again beside the copy that is up.
      expect(done).toMatchObject({ state: 'published', errorKind: 'captions', errorMessage: 'Invalid caption file' });
      expect(fake.videos(page.id).filter((v) => v.id === done.videoId && v.finishedAt && !v.deleted)).toHaveLength(1);

      await as(api, editor.token).post(`/testimonies/${item.id}/withdrawal`, { receivedOn: new Date().toISOString().slice(0, 10), receivedVia: 'phone' });
      await settled(res.body.id, ['taken_down']);
      expect(fake.videos(page.id).find((v) => v.id === done.videoId)?.deleted).toBe(true);
    });

    it('waits out a throttle while Facebook processes the video instead of sending it again', async () => {
      const { item } = await approved(MediaKind.Video);
      // Only a finished video's status is read.
      fake.failNext({ method: 'GET', params: { fields: 'status' }, fault: { error: { code: 32 } } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'រង់ចាំដំណើរការ' });
      await waitFor('the Page to be throttled', async () => (await as(api, editor.token).get('/page')).body.state === 'throttled');
      const started = (await row(res.body.id)).uploadSessionId;
      // Finished on Facebook: going back to "scheduled" would send the finish again, and fail a public video.
      expect((await row(res.body.id)).state).toBe('publishing');
      await (await testDb()).query(`UPDATE facebook_pages SET throttled_until = now() - interval '1 second'`);
      await as(api, editor.token).post(`/publications/${res.body.id}/reconcile`);
      expect((await settled(res.body.id, ['published', 'failed'])).state).toBe('published');
      expect(finishes(started)).toHaveLength(1);
    });

    it('does not send a photo again when the look for its lost answer is throttled', async () => {
      const { item } = await approved(MediaKind.Photo);
      fake.failNext({ method: 'POST', path: /\/photos$/, fault: { hang: 'after' } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'រកមិនបាន' });
      await settled(res.body.id, ['unknown']);
      // As a worker that died in the middle of the call leaves it.
      await (await testDb()).query(`UPDATE publications SET state = 'publishing' WHERE id = $1`, [res.body.id]);
      fake.failNext({ method: 'GET', path: /\/published_posts$/, fault: { error: { code: 32 } } });
      await as(api, editor.token).post(`/publications/${res.body.id}/reconcile`);
      await waitFor('the Page to be throttled', async () => (await as(api, editor.token).get('/page')).body.state === 'throttled');
      expect((await row(res.body.id)).state).toBe('publishing');
      await (await testDb()).query(`UPDATE facebook_pages SET throttled_until = now() - interval '1 second'`);
      await as(api, editor.token).post(`/publications/${res.body.id}/reconcile`);
      const done = await settled(res.body.id, ['published']);
      expect(livePosts('រកមិនបាន')).toEqual([expect.objectContaining({ id: done.postId })]);
    });

    it('lets only one run work on a publication: a second one while the first is mid-call leaves it alone', async () => {
      const { item } = await approved(MediaKind.Video);
      // A second worker process, free to take the second run's job while the first waits for Meta.
      const second = await startTestWorker(env);
      try {
        fake.failNext({ method: 'POST', params: { upload_phase: 'transfer' }, times: 3, fault: { delayMs: 1000 } });
        const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'តែម្ដង' });
        const started = await chunkOnItsWay(res.body.id);
        // The Reconcile button, pressed while the first run waits for Meta's answer.
        await as(api, editor.token).post(`/publications/${res.body.id}/reconcile`);
        expect((await settled(res.body.id, ['published', 'failed'])).state).toBe('published');
        const steps = await (await testDb()).getRepository(PublicationAttempt).find({ where: { publicationId: res.body.id } });
        expect(steps.filter((s) => s.step === 'reconcile')).toEqual([]);
        expect(finishes(started)).toHaveLength(1);
      } finally {
        await second.close();
      }
    });

    it('stops a video upload under way when its item goes back to review, and deletes what Meta holds of it', async () => {
      const { item } = await approved(MediaKind.Video);
      fake.failNext({ method: 'POST', params: { upload_phase: 'transfer' }, fault: { delayMs: 1000 } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'ឈប់ពាក់កណ្ដាលផ្លូវ' });
      await chunkOnItsWay(res.body.id);
      // The person asked for their face to be blurred while the video was going up.
      const [consent] = (await as(api, editor.token).get(`/testimonies/${item.id}/consents`)).body;
      expect((await as(api, editor.token).put(`/testimonies/${item.id}/consents/${consent.id}`, consentBody({ identifiability: 'face_blurred' }))).status).toBe(200);
      const done = await waitFor('the unfinished upload to be deleted', async () => {
        const p = await row(res.body.id);
        return p.takenDownAt ? p : null;
      });
      expect(done).toMatchObject({ state: 'cancelled', errorKind: 'not_approved' });
      const video = fake.videos(page.id).find((v) => v.id === done.videoId);
      expect(video).toMatchObject({ deleted: true });
      expect(video?.finishedAt).toBeFalsy();
    });

    it('sends a video again as a new upload after Facebook failed to process it, deleting the failed one', async () => {
      const { item, sha256 } = await approved(MediaKind.Video);
      fake.options.videoOutcome = 'error';
      let failed;
      try {
        const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'ដំណើរការបរាជ័យ' });
        failed = await settled(res.body.id, ['failed', 'published']);
      } finally {
        fake.options.videoOutcome = 'ready';
      }
      expect(failed).toMatchObject({ state: 'failed', errorKind: 'video_error', videoId: null, uploadSessionId: null });
      expect((await as(api, editor.token).post(`/publications/${failed.id}/retry`)).status).toBe(200);
      const done = await settled(failed.id, ['published', 'failed']);
      expect(done.state).toBe('published');
      const sent = fake.videos(page.id).filter((v) => v.description === 'ដំណើរការបរាជ័យ');
      expect(sent.map((v) => ({ live: !v.deleted, id: v.id === done.videoId }))).toEqual([
        { live: false, id: false },
        { live: true, id: true },
      ]);
      expect(sent[1].sha256).toBe(sha256);
    });

    it('stops a video upload under way when consent is withdrawn, and deletes what Meta holds of it', async () => {
      const { item } = await approved(MediaKind.Video);
      fake.failNext({ method: 'POST', params: { upload_phase: 'transfer' }, fault: { delayMs: 1000 } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'ដកខណៈផ្ញើ' });
      await chunkOnItsWay(res.body.id);
      const [w] = (await as(api, editor.token).post(`/testimonies/${item.id}/withdrawal`, { receivedOn: new Date().toISOString().slice(0, 10), receivedVia: 'phone' })).body;
      expect(w.steps.find((s: { step: string }) => s.step === 'page_takedown')).toMatchObject({ state: 'pending' });
      const done = await waitFor('the takedown', async () => {
        const p = await row(res.body.id);
        return p.takenDownAt ? p : null;
      });
      expect(done.state).toBe('cancelled');
      const video = fake.videos(page.id).find((v) => v.id === done.videoId);
      expect(video).toMatchObject({ deleted: true });
      expect(video?.finishedAt).toBeFalsy();
      const [after] = (await as(api, editor.token).get(`/testimonies/${item.id}/withdrawals`)).body;
      expect(after.steps.find((s: { step: string }) => s.step === 'page_takedown')).toMatchObject({ state: 'done' });
    });
  });

  describe('cancelling', () => {
    it('deletes on Facebook the half of a video upload that a cancelled publication left there', async () => {
      const { item } = await approved(MediaKind.Video);
      fake.failNext({ method: 'POST', params: { upload_phase: 'transfer' }, times: 1, fault: { error: { code: 80001, regainAccessMinutes: 30 } } });
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'បោះបង់ពាក់កណ្ដាល' });
      const paused = await waitFor('the upload to pause', async () => {
        const p = await row(res.body.id);
        return p.state === 'scheduled' && p.videoId ? p : null;
      });
      await (await testDb()).query(`UPDATE facebook_pages SET throttled_until = now() - interval '1 second', state = 'working'`);
      expect((await as(api, editor.token).post(`/publications/${res.body.id}/cancel`)).body.state).toBe('cancelled');
      await waitFor('the unfinished upload to be deleted', async () => (await row(res.body.id)).takenDownAt);
      expect(fake.videos(page.id).find((v) => v.id === paused.videoId)).toMatchObject({ deleted: true });
    });
  });

  describe('scheduling handed to Facebook', () => {
    afterAll(async () => {
      expect((await as(api, admin.token).put('/admin/page', { pageId: page.id, token: page.token, scheduling: 'worker' })).body.scheduling).toBe('worker');
    });

    it('sends a scheduled post at once with its time, and cancelling it deletes it on Facebook too', async () => {
      expect((await as(api, admin.token).put('/admin/page', { pageId: page.id, token: page.token, scheduling: 'facebook' })).body.scheduling).toBe('facebook');
      const { item } = await approved(MediaKind.Photo);
      const at = new Date(Date.now() + 2 * 60 * MIN);
      at.setUTCSeconds(0, 0);
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, at: at.toISOString(), messageKm: 'ហ្វេសប៊ុករក្សា' });
      const held = await waitFor('Facebook to hold the post', async () => {
        const p = await row(res.body.id);
        return p.handedToFacebook ? p : null;
      });
      const [onFacebook] = livePosts('ហ្វេសប៊ុករក្សា');
      expect(onFacebook).toMatchObject({ id: held.postId, published: false });
      expect(onFacebook.scheduledPublishTime?.toISOString()).toBe(at.toISOString());

      expect((await as(api, editor.token).put(`/publications/${res.body.id}/time`, { at: new Date(at.getTime() + MIN).toISOString() })).body.code).toBe('HANDED_TO_FACEBOOK');
      expect((await as(api, editor.token).post(`/publications/${res.body.id}/cancel`)).body.state).toBe('cancelled');
      await waitFor('the held post to be deleted on Facebook', async () => (await row(res.body.id)).takenDownAt);
      expect(livePosts('ហ្វេសប៊ុករក្សា')).toEqual([]);
    });

    it('deletes a post Facebook holds when its item goes back to review, so the lost approval does not publish it', async () => {
      expect((await as(api, admin.token).put('/admin/page', { pageId: page.id, token: page.token, scheduling: 'facebook' })).body.scheduling).toBe('facebook');
      const { item } = await approved(MediaKind.Photo);
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, at: new Date(Date.now() + 2 * 60 * MIN).toISOString(), messageKm: 'ត្រឡប់ទៅពិនិត្យ' });
      await waitFor('Facebook to hold the post', async () => (await row(res.body.id)).handedToFacebook);
      expect(livePosts('ត្រឡប់ទៅពិនិត្យ')).toHaveLength(1);

      // The person asked for their face to be blurred: the consent changes, and the item needs review again.
      const [consent] = (await as(api, editor.token).get(`/testimonies/${item.id}/consents`)).body;
      expect((await as(api, editor.token).put(`/testimonies/${item.id}/consents/${consent.id}`, consentBody({ identifiability: 'face_blurred' }))).status).toBe(200);
      expect((await as(api, editor.token).get(`/testimonies/${item.id}`)).body.status).toBe(TestimonyStatus.InReview);

      const done = await waitFor('the held post to be deleted on Facebook', async () => {
        const p = await row(res.body.id);
        return p.takenDownAt ? p : null;
      });
      expect(done).toMatchObject({ state: 'cancelled', errorKind: 'not_approved' });
      expect(livePosts('ត្រឡប់ទៅពិនិត្យ')).toEqual([]);
    });
  });

  describe('withdrawal takes it down everywhere', () => {
    it('records a withdrawal that arrives while the item is being sent, rather than failing it as a deadlock', async () => {
      expect((await connect()).body.state).toBe('working');
      const { item } = await approved(MediaKind.Photo);
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, at: inAnHour(), messageKm: 'ជាប់សោ' });
      const [consent] = (await as(api, editor.token).get(`/testimonies/${item.id}/consents`)).body;
      const db = await testDb();
      const waiting = async (n: number) => {
        const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        return count >= n;
      };
      // Someone holds the item for a moment (an editor's change), so the send and the withdrawal queue up behind it.
      const holder = db.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query('SELECT id FROM testimonies WHERE id = $1 FOR UPDATE', [item.id]);
        const sending = as(api, editor.token).post(`/publications/${res.body.id}/publish-now`).then((r) => r);
        await waitFor('the send to wait for the item', () => waiting(1));
        const withdrawing = as(api, editor.token)
          .post(`/testimonies/${item.id}/consents/${consent.id}/withdrawal`, { receivedOn: new Date().toISOString().slice(0, 10), receivedVia: 'phone' })
          .then((r) => r);
        await waitFor('the withdrawal to wait too', () => waiting(2));
        await holder.commitTransaction();
        const withdrawal = await withdrawing;
        expect(withdrawal.status).toBe(201);
        await sending;
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
      await settled(res.body.id, ['cancelled']);
      expect(livePosts('ជាប់សោ')).toEqual([]);
    });

    /** A photo on the Page, withdrawn while an admin has the Page disconnected: its takedown waits. */
    const withdrawnWithoutPage = async (messageKm: string): Promise<string> => {
      const { item } = await approved(MediaKind.Photo);
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm });
      await settled(res.body.id, ['published']);
      expect((await as(api, admin.token).delete('/admin/page')).status).toBe(204);
      await as(api, editor.token).post(`/testimonies/${item.id}/withdrawal`, { receivedOn: new Date().toISOString().slice(0, 10), receivedVia: 'phone' });
      return res.body.id;
    };

    it('takes a post down through the Page connected again after an admin disconnected it', async () => {
      const id = await withdrawnWithoutPage('ផ្ដាច់ហើយភ្ជាប់វិញ');
      expect((await connect()).body.state).toBe('working');
      await settled(id, ['taken_down']);
      expect(livePosts('ផ្ដាច់ហើយភ្ជាប់វិញ')).toEqual([]);
    });

    it('runs again a takedown whose job ran before its request was committed', async () => {
      const { item } = await approved(MediaKind.Photo);
      const res = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: 'ទាន់ពេល' });
      await settled(res.body.id, ['published']);
      // The job ran first and found nothing asked; the request's transaction committed after it.
      const jobs = api.app.get(JobQueue);
      const early = await jobs.enqueue(JobName.TakeDownPublication, { publicationId: res.body.id }, { jobId: takeDownJobId(res.body.id) });
      await waitFor('the early takedown job to end', async () => (await early.getState()) === 'completed');
      await (await testDb()).query(`UPDATE publications SET takedown_requested_at = now() WHERE id = $1`, [res.body.id]);
      expect(await worker.get(JobReconciler).reconcile()).toMatchObject({ requeued: 1 });
      await settled(res.body.id, ['taken_down']);
      expect(livePosts('ទាន់ពេល')).toEqual([]);
    });

    it('never gives a takedown up: after its last attempt it starts over a day later', async () => {
      const id = await withdrawnWithoutPage('មិនបោះបង់');
      // As its twentieth attempt would, weeks on: no Page to take it down from.
      const queue = api.app.get(JobQueue).queue(QueueName.Publishing);
      const first = await waitFor('the first attempt to fail', async () => {
        const job = await queue.getJob(takeDownJobId(id));
        return job && (await job.getState()) === 'delayed' ? job : null;
      });
      await first.remove();
      await api.app.get(JobQueue).enqueue(JobName.TakeDownPublication, { publicationId: id }, { jobId: takeDownJobId(id), attempts: 1 });
      const again = await waitFor('the takedown to start over', async () => {
        const job = await queue.getJob(takeDownJobId(id));
        return job && (await job.getState()) === 'delayed' ? job : null;
      });
      expect(again.opts).toMatchObject({ attempts: 20, delay: 24 * 3600 * 1000 });

      expect((await connect()).body.state).toBe('working');
      await settled(id, ['taken_down']);
      expect(livePosts('មិនបោះបង់')).toEqual([]);
    });

    it('deletes what is on the Page, cancels what is scheduled, and records each step', async () => {
      const published = await approved(MediaKind.Photo);
      const res = await as(api, editor.token).post('/publications', { testimonyId: published.item.id, publishNow: true, messageKm: 'ដកចេញ' });
      await settled(res.body.id, ['published']);
      const withdrawal = { receivedOn: new Date().toISOString().slice(0, 10), receivedVia: 'phone' };
      const [w] = (await as(api, editor.token).post(`/testimonies/${published.item.id}/withdrawal`, withdrawal)).body;
      expect(w.steps.find((s: { step: string }) => s.step === 'page_takedown')).toMatchObject({ state: 'pending', detail: { posts: 1 } });
      await settled(res.body.id, ['taken_down']);
      expect(livePosts('ដកចេញ')).toEqual([]);
      const [after] = (await as(api, editor.token).get(`/testimonies/${published.item.id}/withdrawals`)).body;
      expect(after.steps.find((s: { step: string }) => s.step === 'page_takedown')).toMatchObject({ state: 'done' });

      const scheduled = await approved(MediaKind.Photo);
      const later = await as(api, editor.token).post('/publications', { testimonyId: scheduled.item.id, at: inAnHour(), messageKm: 'មិនទាន់' });
      const [w2] = (await as(api, editor.token).post(`/testimonies/${scheduled.item.id}/withdrawal`, withdrawal)).body;
      expect(w2.steps.find((s: { step: string }) => s.step === 'schedules_cancelled')).toMatchObject({ state: 'done', detail: { cancelled: 1 } });
      expect((await row(later.body.id)).state).toBe('cancelled');
    });
  });
});

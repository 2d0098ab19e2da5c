import { Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GraphApiClient } from '../src/modules/publishing/graph/graph-api.client';
import { UploadStream } from '../src/modules/publishing/graph/graph-api.types';
import { GraphError } from '../src/modules/publishing/graph/graph-error';
import { FakeGraph } from './fake-graph/fake-graph.server';
import { FakePage } from './fake-graph/fake-graph-state';
import { testConfig } from './support/test-app';

const KB = 1024;
const HOUR = 3600 * 1000;
const CHUNK = 256 * KB;
const TIMEOUT_MS = 1500;

let fake: FakeGraph;
let graph: GraphApiClient;
let page: FakePage;
let workDir: string;

function jpeg(size = 20 * KB): UploadStream & { sha256: string } {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
  return { stream: Readable.from([bytes]), length: bytes.length, fileName: 'photo.jpg', sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

/** A file written chunk by chunk (never whole in memory), with its SHA-256. */
async function randomFile(name: string, bytes: number): Promise<{ path: string; sha256: string }> {
  const path = join(workDir, name);
  const hash = createHash('sha256');
  async function* chunks() {
    for (let sent = 0; sent < bytes; sent += 64 * KB) {
      const chunk = randomBytes(Math.min(64 * KB, bytes - sent));
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(Readable.from(chunks()), createWriteStream(path));
  return { path, sha256: hash.digest('hex') };
}

/** The whole resumable upload, reading each chunk from the file as a stream of its own. */
async function uploadFile(file: string, size: number, description: string, scheduledPublishTime?: Date): Promise<string> {
  const session = await graph.startVideoUpload(page.id, page.token, size);
  let offsets = { startOffset: session.startOffset, endOffset: session.endOffset };
  while (offsets.startOffset < offsets.endOffset) {
    const length = offsets.endOffset - offsets.startOffset;
    const chunk = createReadStream(file, { start: offsets.startOffset, end: offsets.endOffset - 1 });
    offsets = await graph.transferVideoChunk(page.id, page.token, { uploadSessionId: session.uploadSessionId, startOffset: offsets.startOffset, chunk, length });
  }
  await graph.finishVideoUpload(page.id, page.token, { uploadSessionId: session.uploadSessionId, title: 'Testimony', description, scheduledPublishTime });
  return session.videoId;
}

beforeAll(async () => {
  Logger.overrideLogger(false);
  workDir = mkdtempSync(join(tmpdir(), 'graph-e2e-'));
  fake = await FakeGraph.start({ videoChunkBytes: CHUNK });
  page = fake.addPage();
  graph = new GraphApiClient(testConfig({ ...fake.env, GRAPH_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) }));
});

afterEach(() => {
  fake.clearFaults();
  fake.rateLimit = undefined;
});

afterAll(async () => {
  await fake.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('tokens', () => {
  it('tells a Page token from a person token, and sends tokens in a header, never in a URL', async () => {
    const pageToken = await graph.inspectToken(page.token);
    const personToken = await graph.inspectToken(fake.addToken('USER', '555000111'));

    expect(pageToken).toMatchObject({ type: 'PAGE', profileId: page.id, profileName: page.name, isValid: true, expiresAt: null });
    expect(pageToken.scopes).toEqual(expect.arrayContaining(['pages_manage_posts', 'publish_video', 'read_insights']));
    expect(personToken).toMatchObject({ type: 'USER', profileId: '555000111' });
    const calls = fake.requests.filter((r) => r.path !== '/debug_token');
    expect(calls.every((r) => r.authorization?.startsWith('OAuth EAAfake') && !r.url.includes('EAAfake'))).toBe(true);
    expect(fake.requests.every((r) => r.version === 'v25.0')).toBe(true);
  });

  it.each([
    [460, 'password_changed'],
    [463, 'expired'],
    [467, 'invalid'],
  ] as const)('reports a token Meta stopped honouring (190/%i) as a re-connect with the reason %s', async (subcode, problem) => {
    const token = fake.addToken('PAGE', page.id);
    fake.breakToken(token, subcode);

    const error = await failure(graph.inspectToken(token));

    expect(error).toMatchObject({ kind: 'token', code: 190, subcode, tokenProblem: problem });
  });

  it('refuses a post made with a person token as a permission problem', async () => {
    const error = await failure(graph.publishPhoto(page.id, fake.addToken('USER', '555000111'), { jpeg: jpeg(), message: 'x' }));

    expect(error).toMatchObject({ kind: 'permission', code: 200 });
    expect(fake.posts(page.id)).toHaveLength(0);
  });
});

describe('photos', () => {
  it('publishes a photo with its Khmer text, streaming the bytes Meta receives', async () => {
    const photo = jpeg(300 * KB);
    const message = 'ការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព #mm-photo-1';

    const published = await graph.publishPhoto(page.id, page.token, { jpeg: photo, message });

    const post = fake.posts(page.id).find((p) => p.id === published.postId)!;
    expect(post).toMatchObject({ photoId: published.photoId, message, published: true, photo: { bytes: photo.length, sha256: photo.sha256 } });
    const recent = await graph.listPublishedPosts(page.id, page.token, { limit: 5 });
    expect(recent[0]).toMatchObject({ id: published.postId, message });
  });

  it('schedules a photo, which leaves the scheduled list for the published one when its time comes', async () => {
    const at = new Date(Date.now() + 2 * HOUR);
    const { postId } = await graph.publishPhoto(page.id, page.token, { jpeg: jpeg(), message: 'later #mm-sched', scheduledPublishTime: at });

    const scheduled = await graph.listScheduledPosts(page.id, page.token);
    expect(scheduled.find((p) => p.id === postId)?.scheduledPublishTime?.getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
    expect((await graph.listPublishedPosts(page.id, page.token, { limit: 50 })).map((p) => p.id)).not.toContain(postId);

    fake.advanceClock(3 * HOUR);
    try {
      expect((await graph.listScheduledPosts(page.id, page.token)).map((p) => p.id)).not.toContain(postId);
      expect((await graph.listPublishedPosts(page.id, page.token, { limit: 50 })).map((p) => p.id)).toContain(postId);
    } finally {
      fake.advanceClock(-3 * HOUR);
    }
  });

  it("refuses a time under 10 minutes ahead with Meta's words for the editor", async () => {
    const error = await failure(graph.publishPhoto(page.id, page.token, { jpeg: jpeg(), message: 'too soon', scheduledPublishTime: new Date(Date.now() + 5 * 60_000) }));

    expect(error).toMatchObject({ kind: 'bad_request', code: 100, userTitle: 'Invalid Scheduled Publish Time' });
    expect(error.userMessage).toMatch(/10 minutes and 30 days/);
  });

  it('lists only recent posts since a time, newest first, up to the limit', async () => {
    const since = new Date(Date.now() - 1000);
    for (const n of [1, 2, 3]) await graph.publishPhoto(page.id, page.token, { jpeg: jpeg(), message: `listing ${n}` });

    const posts = await graph.listPublishedPosts(page.id, page.token, { since, limit: 2 });

    expect(posts.map((p) => p.message)).toEqual(['listing 3', 'listing 2']);
  });
});

describe('lost answers', () => {
  it('reports a photo whose answer never came as outcome unknown, and the post is found by its marker', async () => {
    fake.failNext({ method: 'POST', path: /\/photos$/, fault: { hang: 'after' } });
    const before = fake.createCalls.photos;

    const error = await failure(graph.publishPhoto(page.id, page.token, { jpeg: jpeg(), message: 'Testimony #mm-7f3a' }));

    expect(error.kind).toBe('outcome_unknown');
    expect(fake.createCalls.photos).toBe(before + 1);
    const found = (await graph.listPublishedPosts(page.id, page.token, { limit: 25 })).filter((p) => p.message?.includes('#mm-7f3a'));
    expect(found).toHaveLength(1);
  });

  it('reports a dropped connection after a video finish as outcome unknown; the video shows the finish arrived', async () => {
    const file = await randomFile('lost-finish.mp4', 3 * CHUNK);
    fake.failNext({ method: 'POST', params: { upload_phase: 'finish' }, fault: { drop: 'after' } });

    const error = await failure(uploadFile(file.path, 3 * CHUNK, 'lost finish #mm-9'));

    expect(error.kind).toBe('outcome_unknown');
    const video = (await graph.listVideos(page.id, page.token)).find((v) => v.description === 'lost finish #mm-9');
    expect(video).toBeDefined();
    expect((await graph.getVideoStatus(video!.id, page.token)).publishingPhase?.status).not.toBe('not_started');
  });

  it('calls a read that never answered worth another try, as is a server that cannot be reached', async () => {
    fake.failNext({ method: 'GET', path: /scheduled_posts$/, fault: { hang: 'before' } });

    expect((await failure(graph.listScheduledPosts(page.id, page.token))).kind).toBe('transient');

    const closed = await FakeGraph.start();
    const env = closed.env;
    await closed.close();
    const unreachable = new GraphApiClient(testConfig({ ...env, GRAPH_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) }));
    expect((await failure(unreachable.publishPhoto(page.id, page.token, { jpeg: jpeg(), message: 'x' }))).kind).toBe('transient');
  });
});

describe('errors', () => {
  it.each([
    [{ code: 200 }, 'permission'],
    [{ code: 10 }, 'permission'],
    [{ code: 1 }, 'transient'],
    [{ code: 2 }, 'transient'],
    [{ code: 368 }, 'policy'],
    [{ code: 100, userTitle: 'Bad', userMessage: 'Fix it' }, 'bad_request'],
  ] as const)('classifies a %j answer as %s', async (error, kind) => {
    fake.failNext({ method: 'GET', path: /scheduled_posts$/, fault: { error } });

    const thrown = await failure(graph.listScheduledPosts(page.id, page.token));

    expect(thrown).toMatchObject({ kind, code: error.code });
    expect(thrown.fbtraceId).toEqual(expect.any(String));
  });

  it.each([4, 17, 32, 613, 80001])('reads the wait from X-Business-Use-Case-Usage when throttled with code %i', async (code) => {
    fake.failNext({ method: 'GET', path: /scheduled_posts$/, fault: { error: { code, regainAccessMinutes: 12 } } });

    const thrown = await failure(graph.listScheduledPosts(page.id, page.token));

    expect(thrown).toMatchObject({ kind: 'throttled', code, retryAfterMs: 12 * 60_000 });
    expect(graph.usage(page.id)?.page?.estimatedTimeToRegainAccessMinutes).toBe(12);
  });

  it("throttles past the Page's call limit, and reports usage as it climbs", async () => {
    fake.rateLimit = { calls: 4, windowMs: 10 * 60_000, code: 80001 };
    const pageB = fake.addPage();

    for (let i = 0; i < 3; i++) await graph.listScheduledPosts(pageB.id, pageB.token);
    expect(graph.usage(pageB.id)?.page?.callCount).toBe(75);
    await graph.listScheduledPosts(pageB.id, pageB.token);
    const thrown = await failure(graph.listScheduledPosts(pageB.id, pageB.token));

    expect(thrown).toMatchObject({ kind: 'throttled', code: 80001, retryAfterMs: 10 * 60_000 });
    expect(graph.usage(pageB.id)?.highestPercent).toBe(100);
  });
});

describe('videos', () => {
  it('streams a video chunk by chunk from a file to the video host; Meta gets exactly the file', async () => {
    const size = 6 * 1024 * KB + 123;
    const file = await randomFile('testimony.mp4', size);
    const at = new Date(Date.now() + 24 * HOUR);

    const videoId = await uploadFile(file.path, size, 'សាក្សី #mm-v1', at);

    const video = fake.videos(page.id).find((v) => v.id === videoId)!;
    expect(video).toMatchObject({ received: size, sha256: file.sha256, description: 'សាក្សី #mm-v1', published: false });
    const transfers = fake.requests.filter((r) => r.params.upload_phase === 'transfer' && r.params.upload_session_id === video.uploadSessionId);
    expect(transfers).toHaveLength(Math.ceil(size / CHUNK));
    expect(transfers.every((r) => r.host === 'graph-video')).toBe(true);
    const listed = (await graph.listVideos(page.id, page.token)).find((v) => v.id === videoId);
    expect(listed).toMatchObject({ published: false, scheduledPublishTime: new Date(Math.floor(at.getTime() / 1000) * 1000) });
  });

  it('resumes from the offsets Meta names after a chunk it already had is sent again', async () => {
    const size = 3 * CHUNK;
    const file = await randomFile('resume.mp4', size);
    const session = await graph.startVideoUpload(page.id, page.token, size);
    const send = (start: number, end: number) =>
      graph.transferVideoChunk(page.id, page.token, { uploadSessionId: session.uploadSessionId, startOffset: start, chunk: createReadStream(file.path, { start, end: end - 1 }), length: end - start });

    expect(session).toMatchObject({ startOffset: 0, endOffset: CHUNK, videoId: expect.any(String) });
    await send(0, CHUNK);
    const error = await failure(send(0, CHUNK));
    expect(error).toMatchObject({ kind: 'wrong_offset', subcode: 1363037, correctOffsets: { startOffset: CHUNK, endOffset: 2 * CHUNK } });

    let next = error.correctOffsets!;
    while (next.startOffset < next.endOffset) next = await send(next.startOffset, next.endOffset);
    await graph.finishVideoUpload(page.id, page.token, { uploadSessionId: session.uploadSessionId, title: 't', description: 'resumed' });

    expect(fake.videos(page.id).find((v) => v.id === session.videoId)?.sha256).toBe(file.sha256);
  });

  it('reports processing, then ready; or the error Meta gives', async () => {
    const file = await randomFile('status.mp4', 2 * CHUNK);
    const videoId = await uploadFile(file.path, 2 * CHUNK, 'status');

    expect((await graph.getVideoStatus(videoId, page.token)).videoStatus).toBe('processing');
    expect((await graph.getVideoStatus(videoId, page.token)).videoStatus).toBe('processing');
    expect(await graph.getVideoStatus(videoId, page.token)).toMatchObject({
      videoStatus: 'ready',
      uploadingPhase: { status: 'complete', bytesTransferred: 2 * CHUNK },
      publishingPhase: { status: 'complete', publishStatus: 'published' },
    });

    fake.options.videoOutcome = 'error';
    try {
      const broken = await uploadFile(file.path, 2 * CHUNK, 'broken');
      for (let i = 0; i < 2; i++) await graph.getVideoStatus(broken, page.token);
      const status = await graph.getVideoStatus(broken, page.token);
      expect(status.videoStatus).toBe('error');
      expect(status.processingPhase?.errors[0]?.message).toMatch(/could not be decoded/);
    } finally {
      fake.options.videoOutcome = 'ready';
    }
  });

  it('sends captions per locale, named as Meta wants, and replaces a locale sent again', async () => {
    const file = await randomFile('captions.mp4', 2 * CHUNK);
    const videoId = await uploadFile(file.path, 2 * CHUNK, 'captions');
    const srt = '1\n00:00:00,000 --> 00:00:02,000\nសួស្ដី\n';

    await graph.uploadCaptions(videoId, page.token, { fileName: `${videoId}.km_KH.srt`, srt: 'old', isDefault: true });
    await graph.uploadCaptions(videoId, page.token, { fileName: `${videoId}.en_US.srt`, srt: 'hello' });
    await graph.uploadCaptions(videoId, page.token, { fileName: `${videoId}.km_KH.srt`, srt, isDefault: true });

    const captions = await graph.listCaptions(videoId, page.token);
    expect(captions.map((c) => [c.locale, c.isDefault]).sort()).toEqual([
      ['en_US', false],
      ['km_KH', true],
    ]);
    expect(fake.videos(page.id).find((v) => v.id === videoId)?.captions.find((c) => c.locale === 'km_KH')?.srt).toBe(srt);
    await expect(graph.uploadCaptions(videoId, page.token, { fileName: 'captions.srt', srt })).rejects.toThrow(/km_KH/);
  });
});

describe('delete', () => {
  it('deletes a post and a video on the Page, and says when they were already gone', async () => {
    const { postId } = await graph.publishPhoto(page.id, page.token, { jpeg: jpeg(), message: 'to delete' });
    const file = await randomFile('delete.mp4', 2 * CHUNK);
    const videoId = await uploadFile(file.path, 2 * CHUNK, 'video to delete');

    expect(await graph.deleteObject(postId, page.token)).toBe('deleted');
    expect(await graph.deleteObject(postId, page.token)).toBe('already_gone');
    expect(await graph.deleteObject(videoId, page.token)).toBe('deleted');
    expect(await graph.deleteObject(videoId, page.token)).toBe('already_gone');

    expect(fake.posts(page.id).find((p) => p.id === postId)?.deleted).toBe(true);
    expect(fake.videos(page.id).find((v) => v.id === videoId)?.deleted).toBe(true);
    expect((await graph.listVideos(page.id, page.token)).map((v) => v.id)).not.toContain(videoId);
  });
});

describe('insights', () => {
  it('answers every good metric when one was removed by Meta, and names the refused one', async () => {
    const { postId } = await graph.publishPhoto(page.id, page.token, { jpeg: jpeg(), message: 'reach' });
    fake.advanceClock(5 * HOUR);
    try {
      const query = { metrics: ['post_total_media_view_unique', 'post_impressions', 'post_media_view', 'post_reactions_by_type_total'], period: 'lifetime' as const };
      const first = await graph.getInsights(postId, page.token, query);

      expect(Object.keys(first.values).sort()).toEqual(['post_media_view', 'post_reactions_by_type_total', 'post_total_media_view_unique']);
      expect(first.refused).toEqual([{ metric: 'post_impressions', code: 100, subcode: undefined, message: expect.stringMatching(/valid insights metric/) }]);
      expect(first.values.post_reactions_by_type_total[0].value).toEqual(expect.objectContaining({ like: expect.any(Number) }));

      fake.advanceClock(24 * HOUR);
      const later = await graph.getInsights(postId, page.token, query);
      expect(later.values.post_media_view[0].value as number).toBeGreaterThan(first.values.post_media_view[0].value as number);
    } finally {
      fake.advanceClock(-29 * HOUR);
    }
  });

  it('reads daily Page figures with two removed metrics among them', async () => {
    const until = new Date();
    const since = new Date(until.getTime() - 7 * 24 * HOUR);

    const result = await graph.getInsights(page.id, page.token, {
      metrics: ['page_fans', 'page_media_view', 'page_impressions', 'page_total_media_view_unique', 'page_follows'],
      period: 'day',
      since,
      until,
    });

    expect(result.refused.map((r) => r.metric).sort()).toEqual(['page_fans', 'page_impressions']);
    expect(Object.keys(result.values).sort()).toEqual(['page_follows', 'page_media_view', 'page_total_media_view_unique']);
    expect(result.values.page_media_view.length).toBeGreaterThanOrEqual(7);
    await expect(graph.getInsights(page.id, page.token, { metrics: ['page_media_view'], period: 'day', since: new Date(until.getTime() - 91 * 24 * HOUR), until })).rejects.toThrow(
      RangeError,
    );
  });

  it('stops on a token problem instead of calling every metric refused', async () => {
    fake.failNext({ method: 'GET', path: /insights$/, fault: { error: { code: 190, subcode: 460 } } });

    const error = await failure(graph.getInsights(page.id, page.token, { metrics: ['page_media_view', 'page_fans'], period: 'day' }));

    expect(error.kind).toBe('token');
  });
});

import { fail, invalidParameter, noSuchObject } from './fake-graph-errors';
import { answerInsights, InsightsSubject, iso } from './fake-graph-insights';
import { FAKE_APP_ID, FakeGraphState, FakePost, FakeToken, FakeVideo, sha256Hex, VideoOutcome } from './fake-graph-state';

export interface FakeRouteOptions {
  /** Bytes the fake asks for per video chunk. */
  videoChunkBytes: number;
  maxVideoBytes: number;
  /** A finished video turns ready (or error) after this many status reads, or this long after finish. */
  videoProcessingPolls: number;
  videoProcessingMs: number;
  videoOutcome: VideoOutcome;
}

export interface FakeRequest {
  method: string;
  /** Path segments after the version: ['123', 'photos']. */
  segments: string[];
  /** Query and form fields together, as Meta reads them. */
  params: Record<string, string>;
  files: Map<string, { fileName: string; bytes: Buffer }>;
  token: FakeToken;
}

const MIN_SCHEDULE_MS = 10 * 60 * 1000;
const MAX_SCHEDULE_MS = 30 * 24 * 3600 * 1000;
const MAX_PHOTO_BYTES = 4 * 1024 * 1024;
const PAGE_SIZE = 25;

const unix = (date: Date | undefined): number | undefined => (date ? Math.floor(date.getTime() / 1000) : undefined);

/** The Graph API endpoints the reference describes, over FakeGraphState. Each answers a body or throws a FakeFailure. */
export class FakeGraphRoutes {
  constructor(
    private readonly state: FakeGraphState,
    private readonly options: FakeRouteOptions,
  ) {}

  handle(req: FakeRequest): unknown {
    const [id, edge, ...rest] = req.segments;
    if (!id || rest.length > 0) return invalidParameter('Unknown path components');
    const route = `${req.method} ${edge === undefined ? ':id' : edge}`;
    if (id === 'me' && route === 'GET :id') return this.me(req.token);
    if (id === 'debug_token' && route === 'GET :id') return this.debugToken(req.params.input_token);
    const page = this.state.pages.get(id);
    if (page) {
      switch (route) {
        case 'POST photos':
          return this.postPhoto(req, id);
        case 'POST videos':
          return this.videoPhase(req, id);
        case 'GET videos':
          return this.listVideos(req, id);
        case 'GET published_posts':
        case 'GET feed':
          return this.listPosts(req, id, (p) => this.state.isLive(p));
        case 'GET scheduled_posts':
          return this.listPosts(req, id, (p) => !this.state.isLive(p) && p.scheduledPublishTime !== undefined);
        case 'GET insights':
          return this.insights(req, id, 'page', this.state.now());
      }
      return invalidParameter('Unknown path components');
    }
    const video = this.state.videos.get(id);
    if (video && !video.deleted) {
      this.requirePageToken(req.token, video.pageId, id);
      switch (route) {
        case 'GET :id':
          return this.videoFields(video);
        case 'DELETE :id':
          return this.deleteVideo(video);
        case 'POST captions':
          return this.addCaptions(req, video);
        case 'GET captions':
          return { data: video.captions.map((c) => ({ locale: c.locale, is_default: c.isDefault, create_time: iso(c.createdTime), is_auto_generated: false })), paging: {} };
        case 'GET insights':
        case 'GET video_insights':
          return this.insights(req, id, 'video', video.createdTime);
      }
      return invalidParameter('Unknown path components');
    }
    const post = this.state.postOfObject(id);
    if (post && !post.deleted) {
      this.requirePageToken(req.token, post.pageId, id);
      switch (route) {
        case 'GET :id':
          return this.postFields(post);
        case 'DELETE :id':
          post.deleted = true;
          return { success: true };
        case 'GET insights':
          return this.insights(req, id, 'post', this.state.liveTime(post));
      }
      return invalidParameter('Unknown path components');
    }
    return noSuchObject(id, req.method === 'DELETE' ? 'delete' : req.method === 'POST' ? 'post' : 'get');
  }

  private me(token: FakeToken): unknown {
    const page = this.state.pages.get(token.profileId);
    return { id: token.profileId, name: page?.name ?? 'Simulated Person' };
  }

  private debugToken(input: string | undefined): unknown {
    const token = input ? this.state.tokens.get(input) : undefined;
    if (!token) return { data: { is_valid: false, error: { code: 190, message: 'Invalid OAuth access token.' }, scopes: [] } };
    return {
      data: {
        app_id: FAKE_APP_ID,
        type: token.type,
        application: 'Migra Media (simulated)',
        expires_at: unix(token.expiresAt) ?? 0,
        data_access_expires_at: 0,
        is_valid: token.broken === undefined,
        scopes: token.scopes,
        user_id: token.type === 'PAGE' ? '900000000001' : token.profileId,
        ...(token.type === 'PAGE' ? { profile_id: token.profileId } : {}),
      },
    };
  }

  /** Writes need a PAGE token of this very Page: a person's token is what failed silently elsewhere. */
  private requirePageToken(token: FakeToken, pageId: string, objectId: string, scope?: string, write = true): void {
    if (token.type !== 'PAGE') {
      fail(
        write
          ? { code: 200, message: '(#200) Unpublished posts must be posted to a page as the page itself.' }
          : { code: 210, message: '(#210) A page access token is required to request this resource.' },
      );
    }
    if (token.profileId !== pageId) noSuchObject(objectId, write ? 'post' : 'get');
    if (scope && !token.scopes.includes(scope)) {
      fail(scope === 'read_insights' ? { code: 10, message: `(#10) Requires ${scope} permission` } : { code: 200, message: `(#200) Requires ${scope} permission to manage the object` });
    }
  }

  private schedule(params: Record<string, string>): { published: boolean; scheduledPublishTime?: Date } {
    const published = !['false', '0'].includes(params.published ?? 'true');
    const raw = params.scheduled_publish_time;
    if (raw === undefined) return { published };
    if (published) invalidParameter('Cannot specify a scheduled publish time on a published post');
    const at = /^\d+$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
    const ahead = at.getTime() - this.state.now().getTime();
    if (!Number.isFinite(ahead) || ahead < MIN_SCHEDULE_MS || ahead > MAX_SCHEDULE_MS) {
      invalidParameter('The specified scheduled publish time is invalid.', {
        userTitle: 'Invalid Scheduled Publish Time',
        userMessage: 'The scheduled publish time must be between 10 minutes and 30 days from the time of the API request.',
      });
    }
    return { published: false, scheduledPublishTime: at };
  }

  private postPhoto(req: FakeRequest, pageId: string): unknown {
    this.requirePageToken(req.token, pageId, pageId, 'pages_manage_posts');
    this.state.createCalls.photos++;
    const source = req.files.get('source');
    if (!source && !req.params.url) invalidParameter('Requires one of the params: url, source');
    if (source && (source.bytes.length > MAX_PHOTO_BYTES || !isJpegOrPng(source.bytes))) {
      invalidParameter('Photo could not be processed', { subcode: 1366046, userTitle: 'Photo Not Uploaded', userMessage: 'Photos must be a JPG or PNG under 4 MB.' });
    }
    const when = this.schedule(req.params);
    const photoId = this.state.newId();
    const post = this.state.newPost({
      pageId,
      kind: 'photo',
      message: req.params.message ?? req.params.caption ?? '',
      ...when,
      photoId,
      photo: source ? { bytes: source.bytes.length, sha256: sha256Hex(source.bytes) } : { bytes: 0, sha256: '', url: req.params.url },
    });
    return { id: photoId, post_id: post.id };
  }

  private videoPhase(req: FakeRequest, pageId: string): unknown {
    this.requirePageToken(req.token, pageId, pageId, 'publish_video');
    const phase = req.params.upload_phase;
    if (phase === 'start') return this.startUpload(req, pageId);
    const video = [...this.state.videos.values()].find((v) => v.uploadSessionId === req.params.upload_session_id && v.pageId === pageId);
    if (!video) return invalidParameter('Invalid upload session id', { subcode: 1363020 });
    if (phase === 'transfer') return this.transfer(req, video);
    if (phase === 'finish') return this.finish(req, video);
    return invalidParameter('Simple (non-resumable) uploads are not simulated: use upload_phase start, transfer, finish');
  }

  private startUpload(req: FakeRequest, pageId: string): unknown {
    this.state.createCalls.videoStarts++;
    const size = Number(req.params.file_size);
    if (!Number.isSafeInteger(size) || size <= 0) invalidParameter('The parameter file_size is required');
    if (size < 1024) invalidParameter('The video file you selected is too small', { subcode: 1363022 });
    if (size > this.options.maxVideoBytes) invalidParameter('The video file you tried to upload is too large', { subcode: 1363023 });
    const video = this.state.newVideo(pageId, size, this.options.videoOutcome);
    return { upload_session_id: video.uploadSessionId, video_id: video.id, ...this.nextOffsets(video) };
  }

  private nextOffsets(video: FakeVideo): { start_offset: string; end_offset: string } {
    return { start_offset: String(video.received), end_offset: String(Math.min(video.received + this.options.videoChunkBytes, video.fileSize)) };
  }

  private transfer(req: FakeRequest, video: FakeVideo): unknown {
    if (video.finishedAt) invalidParameter('The upload session is already finished', { subcode: 1363020 });
    const chunk = req.files.get('video_file_chunk');
    if (!chunk) return invalidParameter('The parameter video_file_chunk is required');
    if (Number(req.params.start_offset) !== video.received) {
      fail({ code: 100, subcode: 1363037, message: '(#100) The start offset of this chunk does not match the expected one', errorData: this.nextOffsets(video) });
    }
    if (chunk.bytes.length === 0 || video.received + chunk.bytes.length > video.fileSize) invalidParameter('The chunk does not fit the announced file size');
    video.hash.update(chunk.bytes);
    video.received += chunk.bytes.length;
    return this.nextOffsets(video);
  }

  private finish(req: FakeRequest, video: FakeVideo): unknown {
    this.state.createCalls.videoFinishes++;
    if (video.finishedAt) invalidParameter('The upload session is already finished', { subcode: 1363020 });
    if (video.received !== video.fileSize) invalidParameter('The video upload is not complete', { subcode: 1363021 });
    const when = this.schedule(req.params);
    Object.assign(video, { ...when, title: req.params.title, description: req.params.description, finishedAt: this.state.now() });
    video.postId = this.state.newPost({ pageId: video.pageId, kind: 'video', message: req.params.description ?? '', ...when, videoId: video.id }).id;
    return { success: true };
  }

  private addCaptions(req: FakeRequest, video: FakeVideo): unknown {
    this.requirePageToken(req.token, video.pageId, video.id, 'publish_video');
    this.state.createCalls.captions++;
    const file = req.files.get('captions_file');
    const locale = file && /\.([a-z]{2,3}_[A-Z]{2})\.srt$/.exec(file.fileName)?.[1];
    if (!file || !locale) return invalidParameter('The captions file name must end in .<locale>.srt, such as .en_US.srt');
    const isDefault = req.params.default_locale === locale;
    if (isDefault) for (const c of video.captions) c.isDefault = false;
    video.captions = video.captions.filter((c) => c.locale !== locale);
    video.captions.push({ locale, srt: file.bytes.toString('utf8'), isDefault, createdTime: this.state.now() });
    return { success: true };
  }

  private deleteVideo(video: FakeVideo): unknown {
    video.deleted = true;
    const post = video.postId ? this.state.posts.get(video.postId) : undefined;
    if (post) post.deleted = true;
    return { success: true };
  }

  /** Status as `GET /{video-id}?fields=status` shows it; every read counts as one poll. */
  videoStatus(video: FakeVideo): unknown {
    const uploaded = video.received === video.fileSize;
    const uploading_phase = { status: uploaded ? 'complete' : 'in_progress', bytes_transferred: video.received };
    if (!video.finishedAt) {
      return { video_status: uploaded ? 'upload_complete' : 'uploading', uploading_phase, processing_phase: { status: 'not_started' }, publishing_phase: { status: 'not_started' } };
    }
    video.statusPolls++;
    const elapsed = this.state.now().getTime() - video.finishedAt.getTime();
    const done = video.statusPolls > this.options.videoProcessingPolls || elapsed >= this.options.videoProcessingMs;
    const publishing = { publish_status: this.state.isLive(video) ? 'published' : 'scheduled', publish_time: unix(video.scheduledPublishTime ?? video.finishedAt) };
    if (!done) return { video_status: 'processing', uploading_phase, processing_phase: { status: 'in_progress' }, publishing_phase: { status: 'in_progress', ...publishing } };
    if (video.outcome === 'error') {
      return {
        video_status: 'error',
        uploading_phase,
        processing_phase: { status: 'error', errors: [{ code: 1363008, message: 'Video processing failed: the file could not be decoded' }] },
        publishing_phase: { status: 'not_started' },
      };
    }
    return { video_status: 'ready', uploading_phase, processing_phase: { status: 'complete' }, publishing_phase: { status: 'complete', ...publishing } };
  }

  private videoFields(video: FakeVideo): unknown {
    return {
      id: video.id,
      title: video.title,
      description: video.description,
      created_time: iso(video.createdTime),
      published: this.state.isLive(video),
      ...(video.scheduledPublishTime && !this.state.isLive(video) ? { scheduled_publish_time: unix(video.scheduledPublishTime) } : {}),
      status: this.videoStatus(video),
    };
  }

  private postFields(post: FakePost): unknown {
    return {
      id: post.id,
      message: post.message,
      created_time: iso(this.state.liveTime(post)),
      is_published: this.state.isLive(post),
      ...(post.scheduledPublishTime && !this.state.isLive(post) ? { scheduled_publish_time: unix(post.scheduledPublishTime) } : {}),
    };
  }

  private listPosts(req: FakeRequest, pageId: string, include: (post: FakePost) => boolean): unknown {
    this.requirePageToken(req.token, pageId, pageId, 'pages_read_engagement', false);
    const since = req.params.since ? Number(req.params.since) * 1000 : -Infinity;
    const posts = [...this.state.posts.values()]
      .filter((p) => p.pageId === pageId && !p.deleted && include(p) && this.state.liveTime(p).getTime() >= since)
      .sort((a, b) => this.state.liveTime(b).getTime() - this.state.liveTime(a).getTime());
    return this.paged(req, posts.map((p) => this.postFields(p)));
  }

  private listVideos(req: FakeRequest, pageId: string): unknown {
    this.requirePageToken(req.token, pageId, pageId, 'pages_read_engagement', false);
    const videos = [...this.state.videos.values()]
      .filter((v) => v.pageId === pageId && !v.deleted && v.finishedAt)
      .sort((a, b) => b.createdTime.getTime() - a.createdTime.getTime())
      .map((v) => {
        const { status: _status, ...fields } = this.videoFields(v) as Record<string, unknown>;
        return fields;
      });
    return this.paged(req, videos);
  }

  /** Meta's cursor paging: `after` is opaque; `next` is there only when more follow. */
  private paged(req: FakeRequest, items: unknown[]): unknown {
    const start = req.params.after ? Number(Buffer.from(req.params.after, 'base64url').toString()) : 0;
    const limit = Math.min(Number(req.params.limit ?? PAGE_SIZE) || PAGE_SIZE, 100);
    const data = items.slice(start, start + limit);
    const after = Buffer.from(String(start + data.length)).toString('base64url');
    const more = start + data.length < items.length;
    return { data, paging: { cursors: { before: Buffer.from(String(start)).toString('base64url'), after }, ...(more ? { next: `fake://next?after=${after}` } : {}) } };
  }

  private insights(req: FakeRequest, objectId: string, subject: InsightsSubject, created: Date): unknown {
    const pageId = subject === 'page' ? objectId : req.token.profileId;
    this.requirePageToken(req.token, pageId, objectId, 'read_insights', false);
    return answerInsights({ objectId, subject, created, now: this.state.now(), params: req.params, retired: this.state.retiredMetrics });
  }
}

function isJpegOrPng(bytes: Buffer): boolean {
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  return jpeg || png;
}

import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { GraphApi } from './graph-api.port';
import {
  CaptionFile,
  DeleteOutcome,
  GraphPost,
  GraphTokenType,
  GraphUsage,
  GraphVideo,
  InsightsPoint,
  InsightsQuery,
  InsightsResult,
  InsightsValue,
  PhotoPost,
  PublishedPhoto,
  TokenInspection,
  UsageFigures,
  VideoCaption,
  VideoChunk,
  VideoFinish,
  VideoPhase,
  VideoStatus,
  VideoUploadOffsets,
  VideoUploadSession,
} from './graph-api.types';
import { GraphError } from './graph-error';
import { GraphHttp, GraphRequest } from './graph-http';
import { paceDelayMs, parseUsageHeaders } from './graph-usage';

interface Page<T> {
  data: T[];
  paging?: { cursors?: { after?: string }; next?: string };
}

interface RawPost {
  id: string;
  message?: string;
  created_time: string;
  scheduled_publish_time?: number | string;
}

interface RawPhase {
  status?: string;
  errors?: { code?: number; message?: string }[];
  bytes_transferred?: number;
  publish_status?: string;
  publish_time?: number | string;
}

/** Meta writes times as ISO 8601 with a +0000 zone, or as Unix seconds. */
function metaTime(value: number | string): Date {
  return typeof value === 'number' || /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
}

const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Meta's page size limit. */
const MAX_PAGE = 100;
const MAX_INSIGHTS_WINDOW_MS = 90 * 24 * 3600 * 1000;
/** Code Meta answers for a delete of something that is not there (any more). */
const NOTHING_TO_DELETE = { code: 100, subcode: 33 };

function phase(raw: RawPhase | undefined): VideoPhase | undefined {
  return raw ? { status: raw.status ?? 'unknown', errors: (raw.errors ?? []).map((e) => ({ code: e.code, message: e.message ?? '' })) } : undefined;
}

function publishingTime(scheduledPublishTime: Date | undefined): Record<string, string | number> {
  return scheduledPublishTime ? { published: 'false', scheduled_publish_time: unixSeconds(scheduledPublishTime) } : { published: 'true' };
}

/** The Graph API over HTTP (see GraphApi for what each call guarantees). One instance per process. */
@Injectable()
export class GraphApiClient extends GraphApi {
  private readonly http: GraphHttp;
  private readonly pageUsage = new Map<string, GraphUsage>();
  private appUsage?: { figures: UsageFigures; observedAt: Date };
  /** When each of this process's calls to a Page was answered, within Meta's window: what paces the next ones. */
  private readonly ownCalls = new Map<string, number[]>();
  private readonly budgetWindowMs: number;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'graph'>) {
    super();
    const { apiBaseUrl, videoBaseUrl, version, requestTimeoutMs, pageBudgetWindowMs } = config.graph;
    this.budgetWindowMs = pageBudgetWindowMs;
    this.http = new GraphHttp({ apiBaseUrl, videoBaseUrl, version, timeoutMs: requestTimeoutMs }, (headers) => {
      const observedAt = new Date();
      const { app, pages } = parseUsageHeaders(headers, observedAt);
      if (app) this.appUsage = { figures: app, observedAt };
      for (const [pageId, usage] of pages) {
        this.pageUsage.set(pageId, usage);
        this.callsInWindow(pageId, observedAt.getTime()).push(observedAt.getTime());
      }
    });
  }

  async inspectToken(token: string): Promise<TokenInspection> {
    const me = await this.get<{ id: string; name?: string }>(token, '/me', { fields: 'id,name' });
    const { data } = await this.get<{
      data: { type?: GraphTokenType; app_id?: string; scopes?: string[]; is_valid?: boolean; expires_at?: number };
    }>(token, '/debug_token', { input_token: token });
    return {
      type: data.type ?? 'USER',
      profileId: me.id,
      profileName: me.name ?? '',
      appId: data.app_id,
      scopes: data.scopes ?? [],
      isValid: data.is_valid ?? false,
      expiresAt: data.expires_at ? metaTime(data.expires_at) : null,
    };
  }

  async publishPhoto(pageId: string, token: string, post: PhotoPost): Promise<PublishedPhoto> {
    const answer = await this.http.send<{ id: string; post_id: string }>(token, {
      host: 'graph',
      method: 'POST',
      path: `/${pageId}/photos`,
      fields: { message: post.message, ...publishingTime(post.scheduledPublishTime) },
      file: { field: 'source', upload: post.jpeg, contentType: 'image/jpeg' },
      repeatable: false,
    });
    return { photoId: answer.id, postId: answer.post_id };
  }

  async startVideoUpload(pageId: string, token: string, fileSize: number): Promise<VideoUploadSession> {
    const answer = await this.videoPhase<{ upload_session_id: string; video_id: string; start_offset: string; end_offset: string }>(pageId, token, {
      fields: { upload_phase: 'start', file_size: fileSize },
      repeatable: true,
    });
    return { uploadSessionId: answer.upload_session_id, videoId: answer.video_id, ...this.offsets(answer) };
  }

  async transferVideoChunk(pageId: string, token: string, chunk: VideoChunk): Promise<VideoUploadOffsets> {
    const answer = await this.videoPhase<{ start_offset: string; end_offset: string }>(pageId, token, {
      fields: { upload_phase: 'transfer', upload_session_id: chunk.uploadSessionId, start_offset: chunk.startOffset },
      file: { field: 'video_file_chunk', upload: { stream: chunk.chunk, length: chunk.length, fileName: 'chunk' }, contentType: 'application/octet-stream' },
      repeatable: true,
    });
    return this.offsets(answer);
  }

  async finishVideoUpload(pageId: string, token: string, finish: VideoFinish): Promise<void> {
    await this.videoPhase(pageId, token, {
      fields: {
        upload_phase: 'finish',
        upload_session_id: finish.uploadSessionId,
        title: finish.title,
        description: finish.description,
        ...publishingTime(finish.scheduledPublishTime),
      },
      repeatable: false,
    });
  }

  async uploadCaptions(videoId: string, token: string, file: CaptionFile): Promise<void> {
    const locale = /\.([a-z]{2,3}_[A-Z]{2})\.srt$/.exec(file.fileName)?.[1];
    if (!locale) throw new Error(`Caption file name ${file.fileName} must end in .<locale>.srt, such as .km_KH.srt`);
    const bytes = Buffer.from(file.srt, 'utf8');
    await this.http.send(token, {
      host: 'graph',
      method: 'POST',
      path: `/${videoId}/captions`,
      fields: { default_locale: file.isDefault ? locale : undefined },
      file: { field: 'captions_file', upload: { stream: Readable.from([bytes]), length: bytes.length, fileName: file.fileName }, contentType: 'application/x-subrip' },
      repeatable: true,
    });
  }

  async listCaptions(videoId: string, token: string): Promise<VideoCaption[]> {
    const captions = await this.list<{ locale: string; is_default?: boolean; create_time?: string }>(token, `/${videoId}/captions`, {}, Infinity);
    return captions.map((c) => ({ locale: c.locale, isDefault: c.is_default ?? false, createdTime: c.create_time ? metaTime(c.create_time) : undefined }));
  }

  async getVideoStatus(videoId: string, token: string): Promise<VideoStatus> {
    const { status } = await this.get<{
      status?: { video_status?: string; uploading_phase?: RawPhase; processing_phase?: RawPhase; publishing_phase?: RawPhase };
    }>(token, `/${videoId}`, { fields: 'status' });
    const uploading = status?.uploading_phase;
    const publishing = status?.publishing_phase;
    return {
      videoStatus: status?.video_status ?? 'unknown',
      uploadingPhase: uploading && { ...phase(uploading)!, bytesTransferred: uploading.bytes_transferred },
      processingPhase: phase(status?.processing_phase),
      publishingPhase: publishing && {
        ...phase(publishing)!,
        publishStatus: publishing.publish_status,
        publishTime: publishing.publish_time ? metaTime(publishing.publish_time) : undefined,
      },
    };
  }

  async listPublishedPosts(pageId: string, token: string, options: { since?: Date; limit: number }): Promise<GraphPost[]> {
    const since = options.since ? unixSeconds(options.since) : undefined;
    const posts = await this.list<RawPost>(token, `/${pageId}/published_posts`, { fields: 'id,message,created_time', since }, options.limit);
    return posts.map((p) => this.post(p));
  }

  async listScheduledPosts(pageId: string, token: string): Promise<GraphPost[]> {
    const posts = await this.list<RawPost>(token, `/${pageId}/scheduled_posts`, { fields: 'id,message,created_time,scheduled_publish_time' }, Infinity);
    return posts.map((p) => this.post(p));
  }

  async listVideos(pageId: string, token: string): Promise<GraphVideo[]> {
    const videos = await this.list<{ id: string; title?: string; description?: string; created_time: string; published?: boolean; scheduled_publish_time?: number | string }>(
      token,
      `/${pageId}/videos`,
      { fields: 'id,title,description,created_time,published,scheduled_publish_time' },
      MAX_PAGE,
    );
    return videos.map((v) => ({
      id: v.id,
      title: v.title,
      description: v.description,
      createdTime: metaTime(v.created_time),
      published: v.published ?? false,
      scheduledPublishTime: v.scheduled_publish_time ? metaTime(v.scheduled_publish_time) : undefined,
    }));
  }

  async deleteObject(objectId: string, token: string): Promise<DeleteOutcome> {
    try {
      await this.http.send(token, { host: 'graph', method: 'DELETE', path: `/${objectId}`, repeatable: true });
      return 'deleted';
    } catch (error) {
      if (error instanceof GraphError && error.code === NOTHING_TO_DELETE.code && error.subcode === NOTHING_TO_DELETE.subcode) return 'already_gone';
      throw error;
    }
  }

  async getInsights(objectId: string, token: string, query: InsightsQuery): Promise<InsightsResult> {
    if (query.since && query.until && query.until.getTime() - query.since.getTime() > MAX_INSIGHTS_WINDOW_MS) {
      throw new RangeError('Meta answers insights for at most 90 days at a time: split the window.');
    }
    const result: InsightsResult = { values: {}, refused: [] };
    await this.collectInsights(objectId, token, query, [...new Set(query.metrics)], result);
    return result;
  }

  usage(pageId: string): GraphUsage | undefined {
    const page = this.pageUsage.get(pageId);
    if (page) return page;
    if (!this.appUsage) return undefined;
    const { figures, observedAt } = this.appUsage;
    return { app: figures, highestPercent: Math.max(figures.callCount, figures.totalCputime, figures.totalTime), observedAt };
  }

  paceDelayMs(pageId: string, ceilingPercent: number): number {
    const now = Date.now();
    return paceDelayMs(this.usage(pageId), this.callsInWindow(pageId, now), ceilingPercent, this.budgetWindowMs, now);
  }

  /** This process's calls to the Page still inside Meta's window at `now`, oldest first (older ones are dropped). */
  private callsInWindow(pageId: string, now: number): number[] {
    const calls = this.ownCalls.get(pageId) ?? [];
    const firstInWindow = calls.findIndex((t) => t > now - this.budgetWindowMs);
    if (firstInWindow !== 0) calls.splice(0, firstInWindow === -1 ? calls.length : firstInWindow);
    this.ownCalls.set(pageId, calls);
    return calls;
  }

  /**
   * Meta fails a whole insights request when one metric is invalid (code 100). Asking for all at once
   * costs one call when every name is good; on a refusal the group is halved until each bad name stands
   * alone, so one removed metric costs a few calls and never blanks the rest.
   */
  private async collectInsights(objectId: string, token: string, query: InsightsQuery, metrics: string[], result: InsightsResult): Promise<void> {
    if (metrics.length === 0) return;
    try {
      const answer = await this.get<{ data: { name: string; values?: { value: InsightsValue; end_time?: string }[] }[] }>(
        token,
        `/${objectId}/${query.edge ?? 'insights'}`,
        {
          metric: metrics.join(','),
          period: query.period,
          since: query.since ? unixSeconds(query.since) : undefined,
          until: query.until ? unixSeconds(query.until) : undefined,
        },
      );
      for (const entry of answer.data) {
        const points: InsightsPoint[] = (entry.values ?? []).map((v) => ({ value: v.value, endTime: v.end_time ? metaTime(v.end_time) : undefined }));
        result.values[entry.name] = [...(result.values[entry.name] ?? []), ...points];
      }
    } catch (error) {
      if (!(error instanceof GraphError && error.kind === 'bad_request' && error.code === 100)) throw error;
      if (metrics.length === 1) {
        result.refused.push({ metric: metrics[0], code: error.code, subcode: error.subcode, message: error.message });
        return;
      }
      const half = Math.ceil(metrics.length / 2);
      await this.collectInsights(objectId, token, query, metrics.slice(0, half), result);
      await this.collectInsights(objectId, token, query, metrics.slice(half), result);
    }
  }

  private get<T>(token: string, path: string, query: GraphRequest['query']): Promise<T> {
    return this.http.send<T>(token, { host: 'graph', method: 'GET', path, query, repeatable: true });
  }

  private videoPhase<T>(pageId: string, token: string, request: Pick<GraphRequest, 'fields' | 'file' | 'repeatable'>): Promise<T> {
    return this.http.send<T>(token, { host: 'video', method: 'POST', path: `/${pageId}/videos`, ...request });
  }

  /** Follows Meta's cursors until `limit` items or the end. */
  private async list<T>(token: string, path: string, query: GraphRequest['query'], limit: number): Promise<T[]> {
    const items: T[] = [];
    let after: string | undefined;
    do {
      const page = await this.get<Page<T>>(token, path, { ...query, limit: Math.min(MAX_PAGE, limit - items.length), after });
      items.push(...page.data);
      after = page.paging?.next ? page.paging.cursors?.after : undefined;
    } while (after && items.length < limit);
    return items.slice(0, limit);
  }

  private offsets(answer: { start_offset: string; end_offset: string }): VideoUploadOffsets {
    return { startOffset: Number(answer.start_offset), endOffset: Number(answer.end_offset) };
  }

  private post(raw: RawPost): GraphPost {
    return {
      id: raw.id,
      message: raw.message,
      createdTime: metaTime(raw.created_time),
      scheduledPublishTime: raw.scheduled_publish_time ? metaTime(raw.scheduled_publish_time) : undefined,
    };
  }
}

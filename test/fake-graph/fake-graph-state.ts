import { createHash, Hash, randomBytes, randomInt } from 'node:crypto';

export type FakeTokenType = 'PAGE' | 'USER' | 'SYSTEM_USER';
/** A token Meta has invalidated, by the 190 subcode it answers: 458 app removed, 460 password changed, 463 expired, 467 invalid. */
export type BrokenTokenSubcode = 458 | 460 | 463 | 467;

export interface FakeToken {
  token: string;
  type: FakeTokenType;
  /** The Page (PAGE) or person (USER, SYSTEM_USER) the token acts as. */
  profileId: string;
  scopes: string[];
  broken?: BrokenTokenSubcode;
  expiresAt?: Date;
}

export interface FakePage {
  id: string;
  name: string;
  /** A PAGE token for it with every publishing and insights permission. */
  token: string;
}

export interface FakeCaption {
  locale: string;
  srt: string;
  isDefault: boolean;
  createdTime: Date;
}

export interface FakePost {
  id: string;
  pageId: string;
  kind: 'photo' | 'video';
  message: string;
  createdTime: Date;
  /** Published at once; false for a scheduled or unpublished post. */
  published: boolean;
  scheduledPublishTime?: Date;
  deleted: boolean;
  photoId?: string;
  videoId?: string;
  photo?: { bytes: number; sha256: string; url?: string };
}

export type VideoOutcome = 'ready' | 'error';

export interface FakeVideo {
  id: string;
  pageId: string;
  uploadSessionId: string;
  fileSize: number;
  received: number;
  hash: Hash;
  createdTime: Date;
  finishedAt?: Date;
  title?: string;
  description?: string;
  published: boolean;
  scheduledPublishTime?: Date;
  postId?: string;
  deleted: boolean;
  captions: FakeCaption[];
  statusPolls: number;
  outcome: VideoOutcome;
}

export const FAKE_APP_ID = '1234567890';
export const ALL_PAGE_SCOPES = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts', 'publish_video', 'read_insights'];

/** Everything the fake knows, with its own clock (tests move it to make time pass). */
export class FakeGraphState {
  readonly tokens = new Map<string, FakeToken>();
  readonly pages = new Map<string, FakePage>();
  readonly posts = new Map<string, FakePost>();
  readonly videos = new Map<string, FakeVideo>();
  /** Create calls received, by kind, whether or not they were answered. */
  readonly createCalls = { photos: 0, videoStarts: 0, videoFinishes: 0, captions: 0 };
  /** Metrics Meta stopped answering after the app's table was written: each fails its request with code 100. */
  readonly retiredMetrics = new Set<string>();
  /**
   * Graph ids are unique across all of Facebook, and code relies on it (a post id recorded by one
   * publication is never another's). Every fake starts at a random point, so the fakes of spec files
   * sharing one test database never hand out the same id twice.
   */
  private nextId = 100_000_000_000 + randomInt(1, 2 ** 40);
  private clockOffsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  newId(): string {
    return String(this.nextId++);
  }

  addToken(token: Omit<FakeToken, 'token' | 'scopes'> & { token?: string; scopes?: string[] }): FakeToken {
    const made: FakeToken = { ...token, token: token.token ?? `EAAfake${randomBytes(24).toString('base64url')}`, scopes: token.scopes ?? ALL_PAGE_SCOPES };
    this.tokens.set(made.token, made);
    return made;
  }

  addPage(page: { id?: string; name?: string } = {}): FakePage {
    const id = page.id ?? this.newId();
    const token = this.addToken({ type: 'PAGE', profileId: id }).token;
    const made = { id, name: page.name ?? 'Migra Action (simulated Page)', token };
    this.pages.set(id, made);
    return made;
  }

  newPost(fields: Omit<FakePost, 'id' | 'deleted' | 'createdTime'>): FakePost {
    const post: FakePost = { ...fields, id: `${fields.pageId}_${this.newId()}`, createdTime: this.now(), deleted: false };
    this.posts.set(post.id, post);
    return post;
  }

  newVideo(pageId: string, fileSize: number, outcome: VideoOutcome): FakeVideo {
    const video: FakeVideo = {
      id: this.newId(),
      pageId,
      uploadSessionId: this.newId(),
      fileSize,
      received: 0,
      hash: createHash('sha256'),
      createdTime: this.now(),
      published: false,
      deleted: false,
      captions: [],
      statusPolls: 0,
      outcome,
    };
    this.videos.set(video.id, video);
    return video;
  }

  /** A post is live once published, or once its scheduled time has come. */
  isLive(post: { published: boolean; scheduledPublishTime?: Date }): boolean {
    return post.published || (post.scheduledPublishTime !== undefined && post.scheduledPublishTime <= this.now());
  }

  /** When a post went (or goes) live: its scheduled time when it was scheduled. */
  liveTime(post: FakePost): Date {
    return post.scheduledPublishTime ?? post.createdTime;
  }

  postOfObject(id: string): FakePost | undefined {
    return this.posts.get(id) ?? [...this.posts.values()].find((p) => p.photoId === id);
  }
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

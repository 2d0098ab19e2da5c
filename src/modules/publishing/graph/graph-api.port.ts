/**
 * The Facebook Graph API as publishing and reach see it: an abstract class so it is a Nest injection
 * token (inject `GraphApi`, never the client), and tests can put the fake Graph server or a stub behind it.
 *
 * Every method rejects with a GraphError whose `kind` says what to do next (graph-error.ts). Calls that
 * create something on the Page (publishPhoto, finishVideoUpload) reject with kind `outcome_unknown` when
 * the answer is lost after the request went out: never send them again before looking on the Page
 * (listPublishedPosts, listScheduledPosts, listVideos, getVideoStatus) for what the lost call made.
 * Tokens are passed per call (decrypted by the caller, see PageTokenCipher) and are never logged.
 */
import {
  CaptionFile,
  DeleteOutcome,
  GraphPost,
  GraphUsage,
  GraphVideo,
  InsightsQuery,
  InsightsResult,
  PhotoPost,
  PublishedPhoto,
  TokenInspection,
  VideoCaption,
  VideoChunk,
  VideoFinish,
  VideoStatus,
  VideoUploadOffsets,
  VideoUploadSession,
} from './graph-api.types';

export abstract class GraphApi {
  /** What a token is and acts as (`/me` and `/debug_token`): check it is a PAGE token of the right Page before saving it. */
  abstract inspectToken(token: string): Promise<TokenInspection>;

  /** Posts a photo with its text, at once or scheduled. Not safe to repeat (see outcome_unknown above). */
  abstract publishPhoto(pageId: string, token: string, post: PhotoPost): Promise<PublishedPhoto>;

  /** Opens a resumable upload; safe to repeat (an abandoned session publishes nothing). */
  abstract startVideoUpload(pageId: string, token: string, fileSize: number): Promise<VideoUploadSession>;

  /**
   * Sends one chunk; answers the next offsets Meta wants. Safe to repeat: a chunk Meta already has is
   * answered with kind `wrong_offset` and the offsets to go on from.
   */
  abstract transferVideoChunk(pageId: string, token: string, chunk: VideoChunk): Promise<VideoUploadOffsets>;

  /** Publishes (or schedules) the uploaded video. Not safe to repeat: reconcile with getVideoStatus. */
  abstract finishVideoUpload(pageId: string, token: string, finish: VideoFinish): Promise<void>;

  /** Adds or replaces the captions of the file name's locale. Safe to repeat. */
  abstract uploadCaptions(videoId: string, token: string, file: CaptionFile): Promise<void>;

  abstract listCaptions(videoId: string, token: string): Promise<VideoCaption[]>;

  /**
   * Upload, processing and publishing state. `publishingPhase.status` stays `not_started` until a finish
   * arrived: how a finish whose answer was lost is reconciled.
   */
  abstract getVideoStatus(videoId: string, token: string): Promise<VideoStatus>;

  /** Newest first, at most `limit`, created at or after `since`. */
  abstract listPublishedPosts(pageId: string, token: string, options: { since?: Date; limit: number }): Promise<GraphPost[]>;

  abstract listScheduledPosts(pageId: string, token: string): Promise<GraphPost[]>;

  /** The Page's videos (uploads that were finished), newest first. */
  abstract listVideos(pageId: string, token: string): Promise<GraphVideo[]>;

  /** Removes a post, photo or video from the Page (a scheduled post is cancelled). Safe to repeat. */
  abstract deleteObject(objectId: string, token: string): Promise<DeleteOutcome>;

  /** Insights of a Page, post or video. One refused metric never blanks the others: it is listed in `refused`. */
  abstract getInsights(objectId: string, token: string, query: InsightsQuery): Promise<InsightsResult>;

  /** The usage Meta last reported for this Page (and the app), or undefined before any call. */
  abstract usage(pageId: string): GraphUsage | undefined;

  /** Milliseconds to wait before the next call so Meta's reported use of the Page's budget stays under `ceilingPercent`. */
  abstract paceDelayMs(pageId: string, ceilingPercent: number): number;
}

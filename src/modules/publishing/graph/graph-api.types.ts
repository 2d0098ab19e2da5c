import { Readable } from 'node:stream';

/** What Meta's debug_token calls the token. Only a PAGE token may publish as the Page. */
export type GraphTokenType = 'PAGE' | 'USER' | 'SYSTEM_USER' | 'APP';

export interface TokenInspection {
  type: GraphTokenType;
  /** Who the token acts as (`/me`): the Page itself for a Page token. */
  profileId: string;
  profileName: string;
  appId?: string;
  /** Granted permissions, such as pages_manage_posts, publish_video, read_insights. */
  scopes: string[];
  isValid: boolean;
  /** Null when Meta says the token does not expire (a Page token from a long-lived user token). */
  expiresAt: Date | null;
}

/** Bytes streamed to Meta as one multipart file: `length` must be exact, it becomes the Content-Length. */
export interface UploadStream {
  stream: Readable;
  length: number;
  fileName: string;
}

export interface PhotoPost {
  jpeg: UploadStream;
  message: string;
  /** Absent: published at once. Present: scheduled by Meta, which wants 10 minutes to 30 days ahead. */
  scheduledPublishTime?: Date;
}

export interface PublishedPhoto {
  photoId: string;
  /** `<page-id>_<post-id>`: what delete, insights and reconciliation use. */
  postId: string;
}

/** The part of a resumable upload Meta wants next. Equal offsets mean every byte has arrived. */
export interface VideoUploadOffsets {
  startOffset: number;
  endOffset: number;
}

export interface VideoUploadSession extends VideoUploadOffsets {
  uploadSessionId: string;
  /** Known from the first call on, before any byte is sent: record it, it is how a lost finish is reconciled. */
  videoId: string;
}

export interface VideoChunk {
  uploadSessionId: string;
  startOffset: number;
  /** The bytes from startOffset to the endOffset Meta asked for (streamed, never held in memory). */
  chunk: Readable;
  length: number;
}

export interface VideoFinish {
  uploadSessionId: string;
  title: string;
  description: string;
  scheduledPublishTime?: Date;
}

export interface CaptionFile {
  /** Meta reads the locale from the name: `<anything>.km_KH.srt`. */
  fileName: string;
  srt: string;
  /** Makes this file's locale the one shown by default. */
  isDefault?: boolean;
}

export interface VideoCaption {
  locale: string;
  isDefault: boolean;
  createdTime?: Date;
}

export type VideoProcessingState = 'uploading' | 'upload_complete' | 'processing' | 'ready' | 'error' | 'expired';

/** One step of Meta's processing, as `GET /{video-id}?fields=status` reports it. */
export interface VideoPhase {
  status: string;
  errors: { code?: number; message: string }[];
}

export interface VideoStatus {
  videoStatus: VideoProcessingState | string;
  uploadingPhase?: VideoPhase & { bytesTransferred?: number };
  processingPhase?: VideoPhase;
  publishingPhase?: VideoPhase & { publishStatus?: string; publishTime?: Date };
}

export interface GraphPost {
  id: string;
  message?: string;
  createdTime: Date;
  /** Set on scheduled posts. */
  scheduledPublishTime?: Date;
}

export interface GraphVideo {
  id: string;
  title?: string;
  description?: string;
  createdTime: Date;
  published: boolean;
  scheduledPublishTime?: Date;
}

export type DeleteOutcome = 'deleted' | 'already_gone';

export type InsightsPeriod = 'day' | 'week' | 'days_28' | 'month' | 'lifetime' | 'total_over_range';

export interface InsightsQuery {
  metrics: string[];
  period: InsightsPeriod;
  /** Meta refuses windows over 90 days. */
  since?: Date;
  until?: Date;
  /** `video_insights` for a video's own metrics (total_video_views…); `insights` otherwise. */
  edge?: 'insights' | 'video_insights';
}

/** A count, or counts by key (post_reactions_by_type_total: { like: 3, love: 1 }). */
export type InsightsValue = number | Record<string, number>;

export interface InsightsPoint {
  value: InsightsValue;
  endTime?: Date;
}

export interface MetricRefusal {
  metric: string;
  code: number;
  subcode?: number;
  message: string;
}

export interface InsightsResult {
  /** Per metric Meta answered, its values in Meta's order (for period=day: one per day). */
  values: Record<string, InsightsPoint[]>;
  /** Metrics Meta refused (removed, misspelt, not for this object), with Meta's reason. */
  refused: MetricRefusal[];
}

/** Percentages Meta reports in X-App-Usage and X-Business-Use-Case-Usage; 100 means throttled. */
export interface UsageFigures {
  callCount: number;
  totalCputime: number;
  totalTime: number;
}

export interface GraphUsage {
  app?: UsageFigures;
  /** The Page's business-use-case figures. */
  page?: UsageFigures & { type: string; estimatedTimeToRegainAccessMinutes: number };
  /** The highest figure of the two: slow down as it nears 100. */
  highestPercent: number;
  observedAt: Date;
}

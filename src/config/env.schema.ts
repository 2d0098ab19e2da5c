import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const URL_OPTIONS = { require_tld: false, require_protocol: true } as const;

/**
 * The environment as the process receives it. Every variable is documented in .env.example;
 * defaults live here so that the example file and the code cannot drift apart silently.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'PUBLIC_URL must be a full URL such as http://localhost:3000' })
  PUBLIC_URL?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBoolean)
  @IsBoolean()
  TRUST_PROXY = false;

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT = '100kb';

  @IsString()
  WEB_DIST_DIR = 'web/dist';

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  API_DOCS_ENABLED?: boolean;

  @Matches(/^postgres(ql)?:\/\//, {
    message: 'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/migra_media',
  })
  DATABASE_URL: string;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  DATABASE_MIGRATE_ON_START?: boolean;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  DATABASE_CONNECT_RETRIES = 5;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a Redis URL such as redis://127.0.0.1:6379/0' })
  REDIS_URL: string;

  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may contain only letters, digits, - and _' })
  QUEUE_PREFIX = 'migra';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  JOB_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  JOB_BACKOFF_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(32)
  WORKER_CONCURRENCY = 1;

  // Only where something reads it (the compose health check); elsewhere the worker writes no file.
  @IsOptional()
  @IsString()
  @MinLength(1)
  WORKER_HEARTBEAT_FILE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 3600)
  JOB_RECONCILE_INTERVAL_SECONDS = 300;

  @Transform(toBoolean)
  @IsBoolean()
  QUEUE_DASHBOARD_ENABLED = true;

  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'S3_ENDPOINT must be a full URL such as http://127.0.0.1:9000, or empty for AWS' })
  S3_ENDPOINT?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'S3_PUBLIC_ENDPOINT must be a full URL, or empty' })
  S3_PUBLIC_ENDPOINT?: string;

  @IsString()
  @MinLength(1)
  S3_REGION = 'us-east-1';

  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'S3_BUCKET must be a valid bucket name (3-63 lower-case letters, digits, dots and hyphens)',
  })
  S3_BUCKET: string;

  // A key without its secret (or the reverse) is always a mistake; both empty means "use the AWS chain".
  @ValidateIf((env: EnvironmentVariables) => env.S3_SECRET_ACCESS_KEY !== undefined)
  @IsString({ message: 'S3_ACCESS_KEY_ID must be set when S3_SECRET_ACCESS_KEY is' })
  S3_ACCESS_KEY_ID?: string;

  @ValidateIf((env: EnvironmentVariables) => env.S3_ACCESS_KEY_ID !== undefined)
  @IsString({ message: 'S3_SECRET_ACCESS_KEY must be set when S3_ACCESS_KEY_ID is' })
  S3_SECRET_ACCESS_KEY?: string;

  @Transform(toBoolean)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = true;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  S3_PRESIGN_TTL_SECONDS = 300;

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (try: openssl rand -base64 48)' })
  JWT_SECRET: string;

  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(30 * 24 * 3600)
  JWT_TTL_SECONDS = 12 * 3600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 8;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  LOGIN_WINDOW_SECONDS = 900;

  @IsString()
  @MinLength(1)
  UPLOAD_STAGING_DIR = '.data/uploads';

  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  UPLOAD_MAX_VIDEO_BYTES = 2 * 1024 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  UPLOAD_MAX_PHOTO_BYTES = 40 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  UPLOAD_EXPIRY_HOURS = 48;

  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  UPLOAD_STAGING_QUOTA_BYTES = 5 * 1024 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  CAPTION_VERSIONS_KEPT = 50;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  CAPTION_PREVIEWS_PER_MINUTE = 30;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  PUBLISH_VIDEO_POLL_MS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  PUBLISH_VIDEO_READY_TIMEOUT_SECONDS = 1800;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  CONSENT_DEFAULT_MONTHS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  CONSENT_MAX_MONTHS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  CONSENT_EVIDENCE_MAX_BYTES = 200 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  WITHDRAWAL_MEDIA_GRACE_DAYS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  MEDIA_MAX_DURATION_SECONDS = 15 * 60;

  @Transform(toInt)
  @IsInt()
  @Min(1_000_000)
  MEDIA_MAX_IMAGE_PIXELS = 70_000_000;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  FFMPEG_TIMEOUT_SECONDS = 3600;

  @Transform(toInt)
  @IsInt()
  @Min(5)
  FFMPEG_STALL_SECONDS = 120;

  @IsOptional()
  @IsString()
  MEDIA_WORK_DIR?: string;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(3600)
  MEDIA_JOB_LOCK_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  MEDIA_STALLED_CHECK_SECONDS = 30;

  @IsString()
  @MinLength(1)
  FFMPEG_PATH = 'ffmpeg';

  @IsString()
  @MinLength(1)
  FFPROBE_PATH = 'ffprobe';

  @IsIn(['none', 'whisper.cpp'], { message: 'SPEECH_ENGINE must be none or whisper.cpp' })
  SPEECH_ENGINE: 'none' | 'whisper.cpp' = 'none';

  // whisper.cpp needs both files; the worker checks at start-up that they exist and can be used.
  @ValidateIf((env: EnvironmentVariables) => env.SPEECH_ENGINE === 'whisper.cpp')
  @IsString({ message: 'WHISPER_CPP_BINARY must be the path of whisper.cpp\'s whisper-cli when SPEECH_ENGINE=whisper.cpp' })
  WHISPER_CPP_BINARY?: string;

  @ValidateIf((env: EnvironmentVariables) => env.SPEECH_ENGINE === 'whisper.cpp')
  @IsString({ message: 'WHISPER_CPP_MODEL must be the path of a ggml model file (such as ggml-small.bin) when SPEECH_ENGINE=whisper.cpp' })
  WHISPER_CPP_MODEL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  SPEECH_TIMEOUT_SECONDS = 3600;

  @IsUrl(URL_OPTIONS, { message: 'GRAPH_API_BASE_URL must be a full URL such as https://graph.facebook.com' })
  GRAPH_API_BASE_URL = 'https://graph.facebook.com';

  @IsUrl(URL_OPTIONS, { message: 'GRAPH_VIDEO_BASE_URL must be a full URL such as https://graph-video.facebook.com' })
  GRAPH_VIDEO_BASE_URL = 'https://graph-video.facebook.com';

  @Matches(/^v\d+\.\d+$/, { message: 'GRAPH_API_VERSION must look like v25.0' })
  GRAPH_API_VERSION = 'v25.0';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30 * 60 * 1000)
  GRAPH_REQUEST_TIMEOUT_MS = 120_000;

  // Meta counts a Page's calls over a rolling 24 hours; tests and the bench shorten it on the simulated Page.
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  GRAPH_PAGE_BUDGET_WINDOW_SECONDS = 24 * 3600;

  // The day the campaign began (Asia/Phnom_Penh): screenings before it are refused, and the Page's reach is read from it on.
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'CAMPAIGN_START_DATE must be a date such as 2026-01-15' })
  CAMPAIGN_START_DATE = '2026-01-01';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  CAMPAIGN_TARGET_PEOPLE = 80_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SCREENING_MAX_ATTENDANCE = 2000;

  // 0: no scheduled sync (tests run it by hand).
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  INSIGHTS_SYNC_INTERVAL_MINUTES = 60;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(100)
  INSIGHTS_USAGE_CEILING_PERCENT = 90;

  // Exactly 32 bytes of standard base64: 43 characters and one "=" of padding.
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'PAGE_TOKEN_ENCRYPTION_KEY must be 32 random bytes in base64, 44 characters (generate one with: openssl rand -base64 32)',
  })
  PAGE_TOKEN_ENCRYPTION_KEY: string;
}

import { tmpdir } from 'node:os';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvironmentVariables } from './env.schema';

export type Environment = 'development' | 'production' | 'test';

/** The validated, typed configuration every other module reads. Built once per process. */
export interface AppConfig {
  env: Environment;
  http: {
    port: number;
    publicUrl: string;
    trustProxy: boolean;
    bodyLimit: string;
    webDistDir: string;
    secureCookies: boolean;
    /** Serve the OpenAPI document and Swagger UI at /api/docs. */
    apiDocsEnabled: boolean;
  };
  logLevel: string;
  database: { url: string; migrateOnStart: boolean; connectRetries: number };
  redis: { url: string };
  queues: {
    prefix: string;
    attempts: number;
    backoffMs: number;
    workerConcurrency: number;
    /** Touched every few seconds by a live worker, for a container health check. */
    heartbeatFile?: string;
    dashboardEnabled: boolean;
    /** How often the worker compares the queues with PostgreSQL and recovers work Redis lost; 0: never. */
    reconcileIntervalSeconds: number;
  };
  s3: {
    endpoint?: string;
    publicEndpoint?: string;
    region: string;
    bucket: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle: boolean;
    presignTtlSeconds: number;
  };
  auth: {
    jwtSecret: string;
    jwtTtlSeconds: number;
    loginMaxFailures: number;
    loginWindowSeconds: number;
  };
  uploads: {
    stagingDir: string;
    maxVideoBytes: number;
    maxPhotoBytes: number;
    expiryHours: number;
    /** Bytes one person may have in unfinished uploads at once (declared sizes). */
    stagingQuotaBytes: number;
  };
  captions: {
    /** Versions kept per track; older ones are deleted as new ones are saved. */
    versionsKept: number;
    /** Preview frames one person may ask for per minute; each is a job for a worker. */
    previewsPerMinute: number;
  };
  publishing: {
    /** How often a published video's processing on Facebook is checked. */
    videoPollMs: number;
    /** After this long without "ready" or "error", the video is checked again by a later job. */
    videoReadyTimeoutSeconds: number;
  };
  consent: {
    defaultMonths: number;
    maxMonths: number;
    evidenceMaxBytes: number;
    /** How long a withdrawn item's media is kept before it is deleted, unless an admin keeps it. */
    withdrawalGraceDays: number;
  };
  media: {
    ffmpegPath: string;
    ffprobePath: string;
    maxDurationSeconds: number;
    maxImagePixels: number;
    ffmpegTimeoutSeconds: number;
    ffmpegStallSeconds: number;
    /** Parent of the per-job temp folders. */
    workDir: string;
    /** How long a media job's lock lasts without renewal: after a worker crash, its job is taken up again this much later. */
    jobLockSeconds: number;
    /** How often workers look for media jobs whose worker died. */
    stalledCheckSeconds: number;
  };
  speech: {
    engine: 'none' | 'whisper.cpp';
    whisperBinary?: string;
    whisperModel?: string;
    timeoutSeconds: number;
  };
  graph: {
    apiBaseUrl: string;
    /** Video uploads go to their own host at Meta. */
    videoBaseUrl: string;
    /** Such as v25.0: one value, so moving to a new Graph API version is one change. */
    version: string;
    /** A request silent for this long is abandoned (its outcome unknown when it could have changed something). */
    requestTimeoutMs: number;
    /** Meta's rolling window for a Page's call budget. */
    pageBudgetWindowMs: number;
  };
  reach: {
    /** YYYY-MM-DD, in Asia/Phnom_Penh. */
    campaignStartDate: string;
    targetPeople: number;
    /** Largest attendance one screening may record. */
    maxAttendance: number;
    /** How often the worker syncs insights; 0: never (tests run the sync themselves). */
    syncIntervalMinutes: number;
    /** The sync stops for this run once Meta reports this much of the Page's or app's budget used. */
    usageCeilingPercent: number;
  };
  /** AES-256 key (32 bytes) that encrypts Page access tokens at rest. */
  pageTokenKey: Buffer;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Migra Media cannot start: the configuration has ${problems.length} problem(s).\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example for every variable, with a comment on each.',
    );
    this.name = 'ConfigValidationError';
  }
}

// When a value has the wrong type ("abc" for a port), its range checks fail too and would only add noise.
const TYPE_CHECKS = ['isInt', 'isBoolean', 'isString'];

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const constraints = error.constraints ?? {};
    const typeCheck = TYPE_CHECKS.find((name) => name in constraints);
    const messages = typeCheck && error.value !== undefined ? [constraints[typeCheck]] : Object.values(constraints);
    if (error.value === undefined && messages.length > 0) {
      return [`${error.property} is missing. ${messages[0]}`];
    }
    return messages.map((m) => `${error.property}: ${m}`);
  });
}

// Words that only ever appear in example values and tutorials.
const PLACEHOLDER = /change[-_ ]?me|example|placeholder|your[-_ ]?secret|secret[-_ ]?here/i;
/** 32 random base64 characters carry 192 bits; a secret a person typed rarely reaches half that. */
const MIN_SECRET_BITS = 128;

/** Bits of entropy by the characters' own frequencies: a cheap test that catches typed and repeated secrets. */
function estimatedBits(secret: string): number {
  const counts = new Map<string, number>();
  for (const c of secret) counts.set(c, (counts.get(c) ?? 0) + 1);
  const length = [...secret].length;
  let perCharacter = 0;
  for (const n of counts.values()) perCharacter -= (n / length) * Math.log2(n / length);
  return perCharacter * length;
}

/** Anyone who knows the session secret can sign in as anyone: production refuses one copied from .env.example or typed by hand. */
function productionSecretProblems(secret: string): string[] {
  const advice = 'generate one with: openssl rand -base64 48';
  if (PLACEHOLDER.test(secret)) return [`JWT_SECRET is the example value from .env.example; with NODE_ENV=production ${advice}`];
  if (estimatedBits(secret) < MIN_SECRET_BITS) return [`JWT_SECRET is too predictable (repeated or typed characters); with NODE_ENV=production ${advice}`];
  return [];
}

/** Reads and validates the environment; throws ConfigValidationError naming every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    // An empty value in .env means "not set", so defaults apply as documented.
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = describe(errors);
  if (parsed.NODE_ENV === 'production' && typeof parsed.JWT_SECRET === 'string' && !errors.some((e) => e.property === 'JWT_SECRET')) {
    problems.push(...productionSecretProblems(parsed.JWT_SECRET));
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const production = parsed.NODE_ENV === 'production';
  return {
    env: parsed.NODE_ENV,
    http: {
      port: parsed.PORT,
      publicUrl: (parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, ''),
      trustProxy: parsed.TRUST_PROXY,
      bodyLimit: parsed.BODY_LIMIT,
      webDistDir: parsed.WEB_DIST_DIR,
      secureCookies: production,
      // A map of every route helps an attacker more than the few API clients of a production install.
      apiDocsEnabled: parsed.API_DOCS_ENABLED ?? !production,
    },
    logLevel: parsed.LOG_LEVEL,
    database: {
      url: parsed.DATABASE_URL,
      migrateOnStart: parsed.DATABASE_MIGRATE_ON_START ?? !production,
      connectRetries: parsed.DATABASE_CONNECT_RETRIES,
    },
    redis: { url: parsed.REDIS_URL },
    queues: {
      prefix: parsed.QUEUE_PREFIX,
      attempts: parsed.JOB_ATTEMPTS,
      backoffMs: parsed.JOB_BACKOFF_MS,
      workerConcurrency: parsed.WORKER_CONCURRENCY,
      heartbeatFile: parsed.WORKER_HEARTBEAT_FILE,
      dashboardEnabled: parsed.QUEUE_DASHBOARD_ENABLED,
      reconcileIntervalSeconds: parsed.JOB_RECONCILE_INTERVAL_SECONDS,
    },
    s3: {
      endpoint: parsed.S3_ENDPOINT,
      publicEndpoint: parsed.S3_PUBLIC_ENDPOINT,
      region: parsed.S3_REGION,
      bucket: parsed.S3_BUCKET,
      credentials:
        parsed.S3_ACCESS_KEY_ID && parsed.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: parsed.S3_ACCESS_KEY_ID, secretAccessKey: parsed.S3_SECRET_ACCESS_KEY }
          : undefined,
      forcePathStyle: parsed.S3_FORCE_PATH_STYLE,
      presignTtlSeconds: parsed.S3_PRESIGN_TTL_SECONDS,
    },
    auth: {
      jwtSecret: parsed.JWT_SECRET,
      jwtTtlSeconds: parsed.JWT_TTL_SECONDS,
      loginMaxFailures: parsed.LOGIN_MAX_FAILURES,
      loginWindowSeconds: parsed.LOGIN_WINDOW_SECONDS,
    },
    uploads: {
      stagingDir: parsed.UPLOAD_STAGING_DIR,
      maxVideoBytes: parsed.UPLOAD_MAX_VIDEO_BYTES,
      maxPhotoBytes: parsed.UPLOAD_MAX_PHOTO_BYTES,
      expiryHours: parsed.UPLOAD_EXPIRY_HOURS,
      stagingQuotaBytes: parsed.UPLOAD_STAGING_QUOTA_BYTES,
    },
    captions: {
      versionsKept: parsed.CAPTION_VERSIONS_KEPT,
      previewsPerMinute: parsed.CAPTION_PREVIEWS_PER_MINUTE,
    },
    publishing: {
      videoPollMs: parsed.PUBLISH_VIDEO_POLL_MS,
      videoReadyTimeoutSeconds: parsed.PUBLISH_VIDEO_READY_TIMEOUT_SECONDS,
    },
    consent: {
      defaultMonths: parsed.CONSENT_DEFAULT_MONTHS,
      maxMonths: parsed.CONSENT_MAX_MONTHS,
      evidenceMaxBytes: parsed.CONSENT_EVIDENCE_MAX_BYTES,
      withdrawalGraceDays: parsed.WITHDRAWAL_MEDIA_GRACE_DAYS,
    },
    media: {
      ffmpegPath: parsed.FFMPEG_PATH,
      ffprobePath: parsed.FFPROBE_PATH,
      maxDurationSeconds: parsed.MEDIA_MAX_DURATION_SECONDS,
      maxImagePixels: parsed.MEDIA_MAX_IMAGE_PIXELS,
      ffmpegTimeoutSeconds: parsed.FFMPEG_TIMEOUT_SECONDS,
      ffmpegStallSeconds: parsed.FFMPEG_STALL_SECONDS,
      workDir: parsed.MEDIA_WORK_DIR ?? tmpdir(),
      jobLockSeconds: parsed.MEDIA_JOB_LOCK_SECONDS,
      stalledCheckSeconds: parsed.MEDIA_STALLED_CHECK_SECONDS,
    },
    speech: {
      engine: parsed.SPEECH_ENGINE,
      whisperBinary: parsed.WHISPER_CPP_BINARY,
      whisperModel: parsed.WHISPER_CPP_MODEL,
      timeoutSeconds: parsed.SPEECH_TIMEOUT_SECONDS,
    },
    graph: {
      apiBaseUrl: parsed.GRAPH_API_BASE_URL.replace(/\/$/, ''),
      videoBaseUrl: parsed.GRAPH_VIDEO_BASE_URL.replace(/\/$/, ''),
      version: parsed.GRAPH_API_VERSION,
      requestTimeoutMs: parsed.GRAPH_REQUEST_TIMEOUT_MS,
      pageBudgetWindowMs: parsed.GRAPH_PAGE_BUDGET_WINDOW_SECONDS * 1000,
    },
    reach: {
      campaignStartDate: parsed.CAMPAIGN_START_DATE,
      targetPeople: parsed.CAMPAIGN_TARGET_PEOPLE,
      maxAttendance: parsed.SCREENING_MAX_ATTENDANCE,
      syncIntervalMinutes: parsed.INSIGHTS_SYNC_INTERVAL_MINUTES,
      usageCeilingPercent: parsed.INSIGHTS_USAGE_CEILING_PERCENT,
    },
    pageTokenKey: Buffer.from(parsed.PAGE_TOKEN_ENCRYPTION_KEY, 'base64'),
  };
}

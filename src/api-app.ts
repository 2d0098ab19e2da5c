import { HttpStatus, INestApplication, Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { AppError, ErrorCode } from './common/errors/app-error';
import { compressResponses, servePrecompressedWebApp } from './common/http/compression';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { requestId } from './common/logging/logging.module';
import { buildOpenApiDocument } from './common/http/openapi';
import { MAX_JSON_DEPTH, refuseDeepJson } from './common/http/json-depth';
import { strictValidationPipe } from './common/http/validation';
import { sessionTokenOf } from './modules/auth/access.guard';
import { refuseCrossOriginCookieRequests } from './modules/auth/same-origin.middleware';
import { AuthService } from './modules/auth/auth.service';
import { JobQueue } from './modules/queues/job-queue.service';
import { queueDashboard } from './modules/queues/queue-dashboard';
import { TUS_PATH } from './modules/uploads/tus-uploads.service';

const API_PREFIX = 'api';
const CAPTIONS_PATH = /^\/api\/testimonies\/[^/]+\/captions\//;
/** A screening's register: 2,000 attendees' keys run to about 250 kB. */
const SCREENINGS_PATH = /^\/api\/screenings$/;
const CAPTIONS_BODY_LIMIT = '5mb';
const NOT_THE_WEB_APP = /^\/(api|admin\/queues|health|ready)(\/|$)/;

function contentSecurityPolicy(config: AppConfig): Record<string, string[]> {
  // Presigned media links point at the S3 endpoint the browser sees.
  const s3 = config.s3.publicEndpoint ?? config.s3.endpoint;
  const media = ["'self'", 'data:', 'blob:', ...(s3 ? [new URL(s3).origin] : ['https://*.amazonaws.com'])];
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: media,
    mediaSrc: media,
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    // Upgrading would break plain-http single-machine installs; behind TLS the browser gets https anyway.
    upgradeInsecureRequests: config.env === 'production' ? [] : null,
  } as Record<string, string[]>;
}

const PRIVATE_PATHS = /^\/(api|admin\/queues)(\/|$)/;

/**
 * API answers hold people's names, testimonies and signed media links: no shared cache or back/forward
 * history may keep them. A route that may be kept by the browser alone says so itself (@Header).
 */
function noStoreForPrivateData(req: Request, res: Response, next: NextFunction): void {
  if (PRIVATE_PATHS.test(req.path)) res.setHeader('Cache-Control', 'no-store');
  next();
}

function assignRequestId(req: Request & { id?: string }, res: Response, next: NextFunction): void {
  // Assigned before body parsing, so even a malformed body's error names its request.
  req.id = requestId(req, res);
  next();
}

/** Nest would turn body-parser's errors into a bare "Unexpected token" 400; say what to do instead. */
function explainBodyErrors(error: { type?: string; limit?: number }, _req: Request, _res: Response, next: NextFunction): void {
  if (error?.type === 'entity.parse.failed') {
    return next(new AppError(ErrorCode.MalformedJson, 'The request body is not valid JSON. Check for a missing quote, comma or bracket.', HttpStatus.BAD_REQUEST));
  }
  if (error?.type === 'entity.too.deep') {
    return next(new AppError(ErrorCode.ValidationFailed, `The request body is nested more than ${MAX_JSON_DEPTH} levels deep. Send the fields this endpoint documents.`, HttpStatus.BAD_REQUEST));
  }
  if (error?.type === 'entity.too.large') {
    return next(new AppError(ErrorCode.BodyTooLarge, `The request body is larger than the ${describeLimit(error.limit)} this endpoint accepts. Send less data; files go through the upload endpoint.`, HttpStatus.PAYLOAD_TOO_LARGE));
  }
  if (error?.type === 'encoding.unsupported' || error?.type === 'charset.unsupported') {
    return next(new AppError(ErrorCode.ValidationFailed, 'Send the request body as UTF-8 JSON.', HttpStatus.UNSUPPORTED_MEDIA_TYPE));
  }
  next(error);
}

function describeLimit(bytes: number | undefined): string {
  return bytes ? `${Math.round(bytes / 1024)} KB` : 'size';
}

/** Serves the built web app, and index.html for its client-side routes. */
function serveWebApp(app: NestExpressApplication, config: AppConfig): void {
  const dist = resolve(config.http.webDistDir);
  const index = join(dist, 'index.html');
  if (!existsSync(index)) {
    new NestLogger('Web').warn(`No web app at ${dist}; run "npm run build:web". The API still works.`);
    return;
  }
  app.use(servePrecompressedWebApp(dist));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_WEB_APP.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

/** Routing shared by the running API and the OpenAPI generator, so the document matches the server. */
export function applyRouting(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'ready'] });
}

/** Builds the API exactly as production runs it; the e2e tests use this too. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxy ? 1 : false);
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy(config) }, crossOriginEmbedderPolicy: false }));
  app.use(assignRequestId);
  app.use(compressResponses(TUS_PATH));
  app.use(noStoreForPrivateData);
  app.use(cookieParser());
  app.use(refuseCrossOriginCookieRequests(config));
  // The tus route reads its own raw body; no parser may consume it first, whatever its Content-Type.
  // A caption track is the one large JSON body: 5,000 Khmer cues run to about 1 MB.
  const json = express.json({ limit: config.http.bodyLimit, verify: refuseDeepJson });
  const captionsJson = express.json({ limit: CAPTIONS_BODY_LIMIT, verify: refuseDeepJson });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith(`${TUS_PATH}/`) || req.path === TUS_PATH) return next();
    return (CAPTIONS_PATH.test(req.path) || SCREENINGS_PATH.test(req.path) ? captionsJson : json)(req, res, next);
  }, explainBodyErrors);
  applyRouting(app);
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  if (config.queues.dashboardEnabled) {
    const auth = app.get(AuthService);
    const dashboard = queueDashboard(app.get(JobQueue), async (req) => {
      const token = sessionTokenOf(req);
      const user = token ? await auth.authenticate(token).catch(() => null) : null;
      return user?.mustChangePassword ? null : user;
    });
    app.use(dashboard.path, ...dashboard.handlers);
  }
  serveWebApp(app, config);

  if (config.http.apiDocsEnabled) {
    SwaggerModule.setup(`${API_PREFIX}/docs`, app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: `${API_PREFIX}/docs-json`,
      customSiteTitle: 'Migra Media API',
    });
  }
  return app;
}

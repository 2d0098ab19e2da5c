import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { join } from 'node:path';

/**
 * Educators pay for every byte on slow mobile data. API JSON is compressed as it is sent; the web app's
 * files are compressed once at build time (web/vite.config.ts writes .br and .gz beside each) and served
 * as they are, so no CPU is spent on them per request.
 */

/** Level 6 gives most of gzip's gain; higher levels cost CPU on a two-core machine for a few bytes. */
const GZIP_LEVEL = 6;

/**
 * Compresses text answers (JSON, the HTML shell) on the fly. tus requests are left alone: their bodies
 * are media, already compressed, and a chunk's answer carries no body worth compressing.
 */
export function compressResponses(tusPath: string): RequestHandler {
  return compression({
    level: GZIP_LEVEL,
    filter: (req: Request, res: Response) => !req.path.startsWith(tusPath) && compression.filter(req, res),
  });
}

/**
 * The built web app, the precompressed copy chosen from Accept-Encoding (brotli first, then gzip) with
 * Vary: Accept-Encoding. Vite fingerprints files under assets/, so they never change under one name;
 * the service worker and the manifest must be looked at again on every visit, or an update never lands.
 */
export function servePrecompressedWebApp(dist: string): RequestHandler {
  const assets = join(dist, 'assets');
  return expressStaticGzip(dist, {
    enableBrotli: true,
    orderPreference: ['br', 'gz'],
    index: false,
    serveStatic: {
      index: false,
      maxAge: '1h',
      setHeaders: (res, path) => {
        if (path.startsWith(assets)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else if (/\/(sw\.js|workbox-[^/]+\.js|manifest\.webmanifest)(\.br|\.gz)?$/.test(path)) res.setHeader('Cache-Control', 'no-cache');
      },
    },
  });
}

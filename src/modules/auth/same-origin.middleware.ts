import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { SESSION_COOKIE } from './access.decorators';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * SameSite=Strict is not enough: a page on another port of this host (the local S3 server, a dev
 * server) is "same site" and its forms carry our cookie. So a state-changing request that the session
 * cookie would authenticate must come from one of our own pages, as its Origin (or, where a browser
 * sends none, its Referer) shows. Requests with an Authorization header never use the cookie
 * (see sessionTokenOf), and a bearer token cannot be sent by another page, so they pass.
 */
export function refuseCrossOriginCookieRequests(config: AppConfig) {
  const publicOrigin = new URL(config.http.publicUrl).origin;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method) || req.headers.authorization) return next();
    if (!(req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]) return next();
    const origin = originOf(req.get('origin')) ?? originOf(req.get('referer'));
    if (origin && (origin === publicOrigin || origin === `${req.protocol}://${req.get('host')}`)) return next();
    next(
      new AppError(
        ErrorCode.CsrfOriginMismatch,
        'This request did not come from a page of this site, so it was refused. Open the site again and repeat the action.',
        HttpStatus.FORBIDDEN,
      ),
    );
  };
}

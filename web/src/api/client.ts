import createClient, { type Middleware } from 'openapi-fetch';
import { savedCopyMiddleware } from '../offline';
import { ApiError } from './errors';
import type { paths } from './schema';

/** JSON body of the first 2xx response of an operation. */
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type OkJson<Op> = Op extends { responses: infer R }
  ? Json<R[Extract<keyof R, 200 | 201 | '200' | '201'>]>
  : never;

// Types are taken from the *paths* (not schema names) so they survive a
// regenerated schema.d.ts whose component names differ.
export type User = OkJson<paths['/api/auth/me']['get']>;
export type Role = User['role'];
export type Lang = User['preferredLanguage'];
export type Commune = NonNullable<User['commune']>;
export type Province = OkJson<paths['/api/places/provinces']['get']>[number];
export type UserPage = OkJson<paths['/api/users']['get']>;
export type TestimonyPage = OkJson<paths['/api/testimonies']['get']>;
export type Testimony = TestimonyPage['items'][number];
export type JobFailurePage = OkJson<paths['/api/admin/job-failures']['get']>;
export type JobFailure = JobFailurePage['items'][number];

export const ROLES: readonly Role[] = ['educator', 'editor', 'lead', 'admin'];

/** Requests on weak mobile links should fail visibly instead of hanging forever. */
const REQUEST_TIMEOUT_MS = 30_000;

function fetchWithTimeout(request: Request): Promise<Response> {
  const S = AbortSignal as typeof AbortSignal & {
    any?: (signals: AbortSignal[]) => AbortSignal;
    timeout?: (ms: number) => AbortSignal;
  };
  if (typeof S.timeout === 'function' && typeof S.any === 'function') {
    return fetch(request, { signal: S.any([request.signal, S.timeout(REQUEST_TIMEOUT_MS)]) });
  }
  return fetch(request);
}

export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  fetch: fetchWithTimeout,
});

// --- session expiry ------------------------------------------------------
// Any 401 on an authenticated call means the HttpOnly session cookie is gone
// or expired. Login and "check current password" answer 401 for a wrong
// password instead, so they are excluded.
const NOT_A_SESSION_401 = ['/api/auth/login', '/api/auth/me/password'];
let onUnauthorized: (() => void) | null = null;

export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

const sessionMiddleware: Middleware = {
  onResponse({ response }) {
    if (response.status !== 401) return undefined;
    const path = new URL(response.url || '/', window.location.origin).pathname;
    if (!NOT_A_SESSION_401.includes(path)) onUnauthorized?.();
    return undefined;
  },
};
api.use(sessionMiddleware);
api.use(savedCopyMiddleware);

/**
 * `page`/`pageSize` query parameters. Typed as `never` on purpose: the
 * generated spec has described these loosely (an inferred `Object`), and a
 * `never` value fits whatever the regenerated schema says, so the list pages
 * keep compiling while the backend's decorators settle.
 */
export function paging(page: number, pageSize: number): { page: never; pageSize: never } {
  return { page: page as never, pageSize: pageSize as never };
}

// --- testimonies with media -------------------------------------------------
// The media fields (thumbnail, placeholder, renditions) are being added to the
// API now. They are typed here by hand and kept optional, so the pages work
// with the schema as generated today and after it is regenerated.

export type TestimonyStatus = Testimony['status'];
export type ContentLanguage = Testimony['language'];

export interface Rendition {
  role: 'publish' | 'review' | 'poster' | 'thumbnail' | 'preview' | string;
  variant?: string | null;
  mimeType: string;
  width?: number | null;
  height?: number | null;
  durationMs?: number | null;
  byteSize?: number | null;
  url: string;
  urlExpiresAt?: string | null;
}

interface MediaFields {
  /** Base64 thumbhash, drawn instantly before any image loads. */
  placeholder?: string | null;
  thumbnailUrl?: string | null;
}

type Detail = OkJson<paths['/api/testimonies/{id}']['get']>;
export type TestimonySummary = Omit<Testimony, keyof MediaFields> & MediaFields;
export type TestimonyDetail = Omit<Detail, keyof MediaFields | 'renditions'> & MediaFields & { renditions?: Rendition[] };
export type TestimonyListPage = Omit<TestimonyPage, 'items'> & { items: TestimonySummary[] };

/**
 * A call outside the typed client, for endpoints the generated schema does
 * not describe yet (delete, reprocess). Same timeout and session-expiry
 * handling as `api`; throws ApiError on a non-2xx answer.
 */
export async function rawRequest(method: string, path: string): Promise<Response> {
  return checked(await fetchWithTimeout(new Request(path, { method, credentials: 'same-origin', headers: { Accept: 'application/json' } })));
}

async function checked(response: Response): Promise<Response> {
  if (response.status === 401) onUnauthorized?.();
  if (!response.ok) {
    let body: Record<string, unknown> = {};
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
    throw new ApiError(response.status, body);
  }
  return response;
}

// --- captions -----------------------------------------------------------------

type CaptionsPath = paths['/api/testimonies/{id}/captions/{language}'];
export type CaptionTrackSummary = OkJson<paths['/api/testimonies/{id}/captions']['get']>[number];
export type CaptionTrack = OkJson<CaptionsPath['get']>;
export type CaptionLanguage = CaptionTrack['language'];
export type Cue = CaptionTrack['cues'][number];
export type CueWarning = CaptionTrack['warnings'][number];
/** One reason the server refused cues or a caption file, with its kind and figures (ProblemDto). */
export type CaptionProblem = NonNullable<Json<CaptionsPath['put']['responses'][400]>['problems']>[number];
export type CaptionVersion = OkJson<paths['/api/testimonies/{id}/captions/{language}/versions']['get']>[number];
export type CaptionTask = OkJson<paths['/api/testimonies/{id}/captions/{language}/tasks']['get']>[number];
export type CaptionTaskKind = CaptionTask['kind'];
export type CaptionFormat = 'srt' | 'vtt' | 'ass';

export const CAPTION_LANGUAGES: readonly CaptionLanguage[] = ['km', 'en', 'th'];

/** Same-origin caption file (an attachment download; the WebVTT one also works as a `<track src>`). */
export function captionFileUrl(id: string, language: CaptionLanguage, format: CaptionFormat): string {
  return `/api/testimonies/${encodeURIComponent(id)}/captions/${language}/export?format=${format}`;
}

// --- review, consent, withdrawal --------------------------------------------------

export type Consent = OkJson<paths['/api/testimonies/{id}/consents']['get']>[number];
export type ConsentInput = NonNullable<paths['/api/testimonies/{id}/consents']['post']['requestBody']>['content']['application/json'];
export type ReviewComment = OkJson<paths['/api/testimonies/{id}/comments']['get']>[number];
export type HistoryEntry = OkJson<paths['/api/testimonies/{id}/history']['get']>[number];
export type Withdrawal = OkJson<paths['/api/testimonies/{id}/withdrawals']['get']>[number];
export type WithdrawalInput = NonNullable<paths['/api/testimonies/{id}/withdrawal']['post']['requestBody']>['content']['application/json'];
export type StatusCounts = OkJson<paths['/api/testimonies/counts']['get']>;

/** A multipart upload (the typed client sends JSON); same timeout and error handling as `rawRequest`. */
export async function postFile(path: string, file: File): Promise<void> {
  const form = new FormData();
  form.append('file', file);
  await checked(await fetchWithTimeout(new Request(path, { method: 'POST', body: form, credentials: 'same-origin', headers: { Accept: 'application/json' } })));
}

// --- publishing ---------------------------------------------------------------------

export type Publication = OkJson<paths['/api/publications']['get']>[number];
export type PublicationState = Publication['state'];
export type PageConnection = OkJson<paths['/api/page']['get']>;
export type PageConnectionInput = NonNullable<paths['/api/admin/page']['put']['requestBody']>['content']['application/json'];

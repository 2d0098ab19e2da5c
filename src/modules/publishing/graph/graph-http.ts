import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { ClientRequest, IncomingHttpHeaders, IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { GraphError } from './graph-error';
import { UploadStream } from './graph-api.types';

export interface GraphHttpOptions {
  apiBaseUrl: string;
  videoBaseUrl: string;
  version: string;
  timeoutMs: number;
}

export interface GraphRequest {
  /** `video` for upload phases, which Meta serves from its video host. */
  host: 'graph' | 'video';
  method: 'GET' | 'POST' | 'DELETE';
  /** Without the version: `/123/photos`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Form fields: url-encoded, or the text parts of the multipart body when there is a file. */
  fields?: Record<string, string | number | undefined>;
  file?: { field: string; upload: UploadStream; contentType: string };
  /** True when sending it twice cannot change the Page twice; decides timeout = transient or outcome_unknown. */
  repeatable: boolean;
}

/** Meta's answers are small JSON; a huge body is not one. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

type Defined = Record<string, string>;
const defined = (values: Record<string, string | number | undefined> = {}): Defined =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));

/** A multipart body as pieces around the file stream, with its exact length so nothing is buffered. */
function multipart(fields: Defined, file: NonNullable<GraphRequest['file']>): { boundary: string; head: Buffer; tail: Buffer; length: number } {
  const boundary = `----migra${randomBytes(12).toString('hex')}`;
  const quote = (s: string) => s.replace(/["\r\n]/g, (c) => encodeURIComponent(c));
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`);
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.upload.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const head = Buffer.from(parts.join(''), 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { boundary, head, tail, length: head.length + file.upload.length + tail.length };
}

async function writeAll(req: ClientRequest, data: Buffer): Promise<void> {
  if (!req.write(data)) await once(req, 'drain');
}

/** The caller's stream disagrees with the length it announced: a bug on our side, not a Graph failure. */
export class UploadLengthMismatch extends Error {}

async function streamFile(req: ClientRequest, upload: UploadStream): Promise<void> {
  let sent = 0;
  for await (const chunk of upload.stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    sent += bytes.length;
    // The length is already in Content-Length: a stream that disagrees would corrupt the upload.
    if (sent > upload.length) throw new UploadLengthMismatch(`${upload.fileName} gave more than the ${upload.length} bytes announced`);
    await writeAll(req, bytes);
  }
  if (sent !== upload.length) throw new UploadLengthMismatch(`${upload.fileName} gave ${sent} bytes, not the ${upload.length} announced`);
}

async function readAnswer(res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > MAX_ANSWER_BYTES) throw new Error('the answer is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * One Graph API request over node:http(s), the token in an Authorization header (never in the URL), file
 * parts streamed straight from their source. Knows whether the request had fully gone out when it failed,
 * which is what separates "try again" from "outcome unknown".
 */
export class GraphHttp {
  private readonly logger = new Logger('GraphApi');

  constructor(
    private readonly options: GraphHttpOptions,
    private readonly onHeaders: (headers: IncomingHttpHeaders) => void,
  ) {}

  async send<T>(token: string, request: GraphRequest): Promise<T> {
    const base = request.host === 'video' ? this.options.videoBaseUrl : this.options.apiBaseUrl;
    const url = new URL(`${base}/${this.options.version}${request.path}`);
    for (const [key, value] of Object.entries(defined(request.query))) url.searchParams.set(key, value);
    const fields = defined(request.fields);
    const started = Date.now();

    let body: { contentType: string; length: number; write: (req: ClientRequest) => Promise<void> } | undefined;
    if (request.file) {
      const file = request.file;
      const parts = multipart(fields, file);
      body = {
        contentType: `multipart/form-data; boundary=${parts.boundary}`,
        length: parts.length,
        write: async (req) => {
          await writeAll(req, parts.head);
          await streamFile(req, file.upload);
          await writeAll(req, parts.tail);
        },
      };
    } else if (request.method === 'POST') {
      const encoded = Buffer.from(new URLSearchParams(fields).toString(), 'utf8');
      body = { contentType: 'application/x-www-form-urlencoded', length: encoded.length, write: (req) => writeAll(req, encoded) };
    }

    const headers: Record<string, string | number> = { Authorization: `OAuth ${token}`, Accept: 'application/json' };
    if (body) Object.assign(headers, { 'Content-Type': body.contentType, 'Content-Length': body.length });

    let sent = false;
    let res: IncomingMessage;
    let answer: unknown;
    try {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: request.method, headers });
      // Inactivity, not total time: a large chunk over a slow link may take long while bytes keep flowing.
      req.setTimeout(this.options.timeoutMs, () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('finish', () => (sent = true));
      const responded = once(req, 'response') as Promise<[IncomingMessage]>;
      // Failures while writing are handled below; this keeps the same failure from also going unhandled here.
      responded.catch(() => undefined);
      try {
        if (body) await body.write(req);
      } catch (error) {
        req.destroy();
        throw error;
      }
      req.end();
      [res] = await responded;
      answer = await readAnswer(res);
    } catch (error) {
      if (error instanceof UploadLengthMismatch) throw error;
      this.logger.warn(`${request.method} ${request.path}: no answer (${error instanceof Error ? error.message : String(error)})`);
      throw GraphError.noAnswer(error, sent, request.repeatable);
    }

    this.onHeaders(res.headers);
    const status = res.statusCode ?? 0;
    this.logger.debug(`${request.method} ${request.path} → ${status} in ${Date.now() - started} ms`);
    if (status >= 200 && status < 300 && answer !== undefined && !(answer && typeof answer === 'object' && 'error' in answer)) return answer as T;
    const error = GraphError.fromResponse(status, answer, res.headers);
    this.logger.warn(`${request.method} ${request.path} → ${status} ${error.kind} code=${error.code ?? '-'} subcode=${error.subcode ?? '-'} trace=${error.fbtraceId ?? '-'}`);
    throw error;
  }
}

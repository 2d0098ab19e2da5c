import busboy from 'busboy';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { FakeAnswer, FakeErrorSpec, FakeFailure, graphError, THROTTLE_CODES } from './fake-graph-errors';
import { FakeRouteOptions, FakeGraphRoutes, FakeRequest } from './fake-graph-routes';
import { BrokenTokenSubcode, FakeGraphState, FakePage, FakePost, FakeToken, FakeTokenType, FakeVideo } from './fake-graph-state';

/**
 * What a switched-on fault does to a matching call:
 * - `error`: answers a Graph error (throttling codes come with X-Business-Use-Case-Usage);
 * - `hang: 'before'`: never answers, and does nothing;
 * - `hang: 'after'`: does the call (the post is created) and never answers, the lost-answer case;
 * - `drop`: the same two, closing the connection instead of hanging;
 * - `delayMs`: answers as usual, that much later (a slow link, a call still under way).
 */
export type FakeFault = { error: FakeErrorSpec } | { hang: 'before' | 'after' } | { drop: 'before' | 'after' } | { delayMs: number };

export interface FaultRule {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Matched against the path after the version, such as /123/photos. */
  path?: RegExp;
  /** Parameters the call must carry, such as { upload_phase: 'finish' }. */
  params?: Record<string, string>;
  /** How many matching calls it hits (default 1). */
  times?: number;
  fault: FakeFault;
}

export interface RateLimit {
  /** Calls allowed per token within the window. */
  calls: number;
  windowMs: number;
  /** Meta's code when over: 80001 (Pages business use case) or 32 (Page request limit). */
  code?: 80001 | 32;
}

export interface RecordedRequest {
  method: string;
  host: 'graph' | 'graph-video';
  version: string;
  path: string;
  /** The raw URL as received: tests check no token is in it. */
  url: string;
  authorization?: string;
  params: Record<string, string>;
  /** File parts: field, file name and byte count. */
  files: { field: string; fileName: string; bytes: number }[];
  /** When it arrived, on the fake's clock (ms). */
  at: number;
}

export interface FakeGraphOptions extends Partial<FakeRouteOptions> {
  rateLimit?: RateLimit;
}

const VIDEO_HOST_PREFIX = '/graph-video';

/**
 * A local stand-in for graph.facebook.com and graph-video.facebook.com (one server; the video host is
 * the same address under /graph-video). Behaves as /work/shared/reference/facebook-graph-api.md says,
 * with faults switchable per test and every call and object open to inspection.
 */
export class FakeGraph {
  readonly state = new FakeGraphState();
  readonly requests: RecordedRequest[] = [];
  readonly options: FakeRouteOptions;
  rateLimit?: RateLimit;
  private readonly routes: FakeGraphRoutes;
  private readonly rules: (FaultRule & { left: number })[] = [];
  private readonly callTimes = new Map<string, number[]>();
  private server?: Server;

  constructor(options: FakeGraphOptions = {}) {
    const { rateLimit, ...routeOptions } = options;
    this.rateLimit = rateLimit;
    this.options = {
      videoChunkBytes: 1024 * 1024,
      maxVideoBytes: 4 * 1024 * 1024 * 1024,
      videoProcessingPolls: 2,
      videoProcessingMs: Infinity,
      videoOutcome: 'ready',
      ...routeOptions,
    };
    this.routes = new FakeGraphRoutes(this.state, this.options);
  }

  static async start(options: FakeGraphOptions = {}, port = 0, host = '127.0.0.1'): Promise<FakeGraph> {
    const fake = new FakeGraph(options);
    fake.server = createServer((req, res) => void fake.serve(req, res));
    fake.server.listen(port, host);
    await once(fake.server, 'listening');
    return fake;
  }

  get url(): string {
    const { address, port } = this.server!.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /** GRAPH_API_BASE_URL and GRAPH_VIDEO_BASE_URL for an app that should talk to this fake. */
  get env(): { GRAPH_API_BASE_URL: string; GRAPH_VIDEO_BASE_URL: string } {
    return { GRAPH_API_BASE_URL: this.url, GRAPH_VIDEO_BASE_URL: `${this.url}${VIDEO_HOST_PREFIX}` };
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const closed = once(this.server, 'close');
    this.server.close();
    // Hung calls and kept-alive sockets would otherwise hold the server open.
    this.server.closeAllConnections();
    await closed;
  }

  addPage(page: { id?: string; name?: string } = {}): FakePage {
    return this.state.addPage(page);
  }

  addToken(type: FakeTokenType, profileId: string, options: { scopes?: string[]; broken?: BrokenTokenSubcode; expiresAt?: Date } = {}): string {
    return this.state.addToken({ type, profileId, ...options }).token;
  }

  /** Makes Meta stop honouring a token, as after a password change (460) or expiry (463). */
  breakToken(token: string, subcode: BrokenTokenSubcode): void {
    this.state.tokens.get(token)!.broken = subcode;
  }

  /** Switches a fault on for the next `times` calls that match. */
  failNext(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clearFaults(): void {
    this.rules.length = 0;
  }

  /** The most calls that arrived within any `windowMs` (fake clock), counting those from request index `from` on. */
  mostCallsWithin(windowMs: number, from = 0): number {
    const times = this.requests.slice(from).map((r) => r.at);
    let most = 0;
    for (let first = 0, last = 0; last < times.length; last += 1) {
      while (times[last] - times[first] >= windowMs) first += 1;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  advanceClock(ms: number): void {
    this.state.advanceClock(ms);
  }

  /** Every post of a Page, deleted ones included (see `deleted`), oldest first. */
  posts(pageId: string): FakePost[] {
    return [...this.state.posts.values()].filter((p) => p.pageId === pageId);
  }

  videos(pageId: string): (FakeVideo & { sha256: string })[] {
    return [...this.state.videos.values()].filter((v) => v.pageId === pageId).map((v) => Object.assign(v, { sha256: v.hash.copy().digest('hex') }));
  }

  get createCalls(): FakeGraphState['createCalls'] {
    return this.state.createCalls;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let recorded: RecordedRequest | undefined;
    try {
      recorded = await this.read(req);
      this.requests.push(recorded);
      const fault = this.takeFault(recorded);
      if (fault && 'error' in fault) return this.send(res, this.faultAnswer(fault.error, recorded));
      if (fault && 'delayMs' in fault) await delay(fault.delayMs);
      const silent = fault && ('hang' in fault ? fault.hang : 'drop' in fault ? fault.drop : undefined);
      if (silent === 'before') return this.silence(res, fault!);
      const answer = this.answer(req, recorded);
      if (silent === 'after') return this.silence(res, fault!);
      this.send(res, answer);
    } catch (error) {
      this.send(res, error instanceof FakeFailure ? error.answer : graphError({ code: 1, message: `Fake Graph API bug: ${(error as Error).message}` }));
    }
  }

  private silence(res: ServerResponse, fault: FakeFault): void {
    if ('drop' in fault) res.socket?.destroy();
  }

  private answer(req: IncomingMessage, recorded: RecordedRequest): FakeAnswer {
    try {
      const token = this.authenticate(recorded);
      const limited = this.countCall(token);
      if (limited) return limited;
      const body = this.routes.handle({ method: recorded.method, segments: recorded.path.split('/').filter(Boolean), params: recorded.params, files: this.files.get(req)!, token });
      return { status: 200, body, headers: this.usageHeaders(token) };
    } catch (error) {
      if (error instanceof FakeFailure) return error.answer;
      throw error;
    } finally {
      this.files.delete(req);
    }
  }

  private readonly files = new WeakMap<IncomingMessage, FakeRequest['files']>();

  private async read(req: IncomingMessage): Promise<RecordedRequest> {
    const url = new URL(req.url ?? '/', 'http://fake');
    let path = url.pathname;
    const host = path.startsWith(`${VIDEO_HOST_PREFIX}/`) ? 'graph-video' : 'graph';
    if (host === 'graph-video') path = path.slice(VIDEO_HOST_PREFIX.length);
    const version = /^\/(v\d+\.\d+)(\/.*)$/.exec(path);
    if (!version) throw new FakeFailure(graphError({ code: 100, message: 'Unknown path components: the path must start with a version such as /v25.0/' }));
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    const files: FakeRequest['files'] = new Map();
    await this.readBody(req, params, files);
    this.files.set(req, files);
    return {
      method: req.method ?? 'GET',
      host,
      version: version[1],
      path: version[2],
      url: req.url ?? '',
      authorization: req.headers.authorization,
      params,
      files: [...files].map(([field, f]) => ({ field, fileName: f.fileName, bytes: f.bytes.length })),
      at: this.state.now().getTime(),
    };
  }

  private async readBody(req: IncomingMessage, params: Record<string, string>, files: FakeRequest['files']): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const parser = busboy({ headers: req.headers, limits: { fileSize: Infinity } });
      parser.on('field', (name, value) => (params[name] = value));
      parser.on('file', (name, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => files.set(name, { fileName: info.filename ?? '', bytes: Buffer.concat(chunks) }));
      });
      req.pipe(parser);
      await once(parser, 'close');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (type.startsWith('application/x-www-form-urlencoded')) Object.assign(params, Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
  }

  private authenticate(recorded: RecordedRequest): FakeToken {
    const value = /^OAuth (.+)$/i.exec(recorded.authorization ?? '')?.[1] ?? recorded.params.access_token;
    if (!value) throw new FakeFailure(graphError({ code: 2500, message: 'An active access token must be used to query information about the current user.', type: 'OAuthException' }));
    const token = this.state.tokens.get(value);
    if (!token) throw new FakeFailure(graphError({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }));
    const expired = token.expiresAt !== undefined && token.expiresAt <= this.state.now();
    if (token.broken || expired) throw new FakeFailure(graphError({ code: 190, subcode: token.broken ?? 463 }));
    return token;
  }

  private takeFault(recorded: RecordedRequest): FakeFault | undefined {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (!r.method || r.method === recorded.method) &&
        (!r.path || r.path.test(recorded.path)) &&
        Object.entries(r.params ?? {}).every(([k, v]) => recorded.params[k] === v),
    );
    if (!rule) return undefined;
    rule.left--;
    return rule.fault;
  }

  private faultAnswer(spec: FakeErrorSpec, recorded: RecordedRequest): FakeAnswer {
    const answer = graphError(spec);
    if (!THROTTLE_CODES.has(spec.code)) return answer;
    const token = this.state.tokens.get(/^OAuth (.+)$/i.exec(recorded.authorization ?? '')?.[1] ?? '');
    return { ...answer, headers: this.usageHeaders(token, 100, spec.regainAccessMinutes ?? 5) };
  }

  /** Counts a call against the token's window; answers Meta's throttling error once the window is full. */
  private countCall(token: FakeToken): FakeAnswer | undefined {
    if (!this.rateLimit) return undefined;
    const now = this.state.now().getTime();
    const times = (this.callTimes.get(token.token) ?? []).filter((t) => t > now - this.rateLimit!.windowMs);
    this.callTimes.set(token.token, times);
    if (times.length >= this.rateLimit.calls) {
      const regainMinutes = Math.max(1, Math.ceil((times[0] + this.rateLimit.windowMs - now) / 60_000));
      const answer = graphError({ code: this.rateLimit.code ?? 80001 });
      return { ...answer, headers: this.usageHeaders(token, 100, regainMinutes) };
    }
    times.push(now);
    return undefined;
  }

  private usageHeaders(token: FakeToken | undefined, percent?: number, regainMinutes = 0): Record<string, string> {
    const used = percent ?? (this.rateLimit && token ? Math.round((100 * (this.callTimes.get(token.token)?.length ?? 0)) / this.rateLimit.calls) : 1);
    const figures = { call_count: used, total_cputime: Math.round(used / 2), total_time: Math.round(used / 2) };
    const headers: Record<string, string> = { 'X-App-Usage': JSON.stringify({ call_count: 1, total_cputime: 1, total_time: 1 }) };
    if (token?.type === 'PAGE') {
      headers['X-Business-Use-Case-Usage'] = JSON.stringify({ [token.profileId]: [{ type: 'pages', ...figures, estimated_time_to_regain_access: regainMinutes }] });
    }
    return headers;
  }

  private send(res: ServerResponse, answer: FakeAnswer): void {
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(body), ...answer.headers });
    res.end(body);
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { FacebookPage, PageState, Scheduling } from './facebook-page.entity';
import { GraphApi } from './graph/graph-api.port';
import { GraphError } from './graph/graph-error';
import { PageTokenCipher } from './graph/page-token.cipher';

/** What publishing needs from a token; read_insights is for reach and only warned about when missing. */
export const PUBLISHING_SCOPES = ['pages_manage_posts', 'pages_read_engagement', 'publish_video'];

export interface ConnectRequest {
  pageId: string;
  token: string;
  scheduling: Scheduling;
  simulated?: boolean;
}

/** A connected Page with its token opened, for the worker's calls only. */
export interface OpenPage {
  page: FacebookPage;
  token: string;
}

/**
 * The campaign's Page connection: checked when saved (a user token where a Page token belongs made other
 * schedulers fail silently), sealed at rest, and its health kept where admins see it. A token that stops
 * working pauses publishing; scheduled items wait for an admin to connect again.
 */
@Injectable()
export class PageConnectionService {
  private readonly logger = new Logger(PageConnectionService.name);

  constructor(
    private readonly db: DataSource,
    private readonly graph: GraphApi,
    private readonly cipher: PageTokenCipher,
    private readonly audit: AuditService,
  ) {}

  current(em: EntityManager = this.db.manager): Promise<FacebookPage | null> {
    return em.getRepository(FacebookPage).findOneBy({ disconnectedAt: IsNull() });
  }

  async connect(actor: AuthUser | null, request: ConnectRequest, context?: RequestContext): Promise<FacebookPage> {
    const inspection = await this.graph.inspectToken(request.token).catch((error: unknown) => {
      if (error instanceof GraphError && error.kind !== 'transient' && error.kind !== 'throttled') {
        throw AppError.badRequest(ErrorCode.PageTokenInvalid, `Facebook refused this token: ${error.userMessage ?? error.message} Create a new Page token and paste it again.`, {
          metaCode: error.code ?? null,
          metaSubcode: error.subcode ?? null,
        });
      }
      throw AppError.unavailable('Facebook', 'Try connecting again in a minute.');
    });
    if (!inspection.isValid) {
      throw AppError.badRequest(ErrorCode.PageTokenInvalid, 'Facebook says this token is no longer valid. Create a new Page token and paste it again.', { metaCode: null, metaSubcode: null });
    }
    if (inspection.type === 'PAGE' && inspection.profileId !== request.pageId) {
      throw AppError.badRequest(ErrorCode.PageTokenOtherPage, `This token belongs to another Page (${inspection.profileName}, ${inspection.profileId}). Use the token of the campaign's Page.`, {
        tokenPageId: inspection.profileId,
      });
    }
    if (inspection.type !== 'PAGE' && inspection.type !== 'SYSTEM_USER') {
      throw AppError.badRequest(
        ErrorCode.PageTokenWrongType,
        `This is a ${inspection.type.toLowerCase()} token, not a Page token: posts made with it fail. Get the Page's own token (or a system user's token) and paste it.`,
        { type: inspection.type },
      );
    }
    const missing = PUBLISHING_SCOPES.filter((scope) => !inspection.scopes.includes(scope));
    if (missing.length > 0) {
      throw AppError.badRequest(ErrorCode.PageTokenMissingPermissions, `The token lacks permissions publishing needs: ${missing.join(', ')}. Grant them and create the token again.`, { missing });
    }

    return this.db.transaction(async (em) => {
      const repo = em.getRepository(FacebookPage);
      const existing = await repo.findOne({ where: { disconnectedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      const fields = {
        name: inspection.type === 'PAGE' ? inspection.profileName : (existing?.name ?? request.pageId),
        tokenSealed: this.cipher.encrypt(request.token, request.pageId),
        tokenType: inspection.type,
        scopes: inspection.scopes,
        scheduling: request.scheduling,
        simulated: request.simulated ?? false,
        state: PageState.Working,
        stateReason: null,
        throttledUntil: null,
        connectedById: actor?.id ?? null,
        connectedAt: new Date(),
      };
      let page: FacebookPage;
      if (existing?.pageId === request.pageId) {
        // A new token for the same Page: publications keep pointing at this row and resume.
        await repo.update(existing.id, fields);
        page = { ...existing, ...fields };
      } else {
        if (existing) await repo.update(existing.id, { disconnectedAt: new Date() });
        page = await repo.save(repo.create({ ...fields, pageId: request.pageId }));
      }
      await this.audit.record(
        { actor, action: 'page.connected', target: { type: 'page', id: page.id }, details: { pageId: request.pageId, tokenType: inspection.type, scopes: inspection.scopes, simulated: page.simulated }, context },
        em,
      );
      return page;
    });
  }

  /** Scheduled posts wait while no Page is connected; they go out once one is connected again. */
  async disconnect(actor: AuthUser, context: RequestContext): Promise<void> {
    await this.db.transaction(async (em) => {
      const page = await this.current(em);
      if (!page) return;
      await em.getRepository(FacebookPage).update(page.id, { disconnectedAt: new Date() });
      await this.audit.record({ actor, action: 'page.disconnected', target: { type: 'page', id: page.id }, details: { pageId: page.pageId }, context }, em);
    });
  }

  /**
   * The connected Page and its token, for a job about to call Meta; null when none is connected. A Page
   * disconnected and connected again has a row of its own: what was scheduled on (or taken down from) the
   * earlier row is the same Page, and goes on with the connected one.
   */
  async open(pageRef: string): Promise<OpenPage | null> {
    const page = await this.db
      .getRepository(FacebookPage)
      .createQueryBuilder('p')
      .addSelect('p.tokenSealed')
      .where('p.disconnectedAt IS NULL')
      .andWhere('p.pageId = (SELECT ref.page_id FROM facebook_pages ref WHERE ref.id = :pageRef)', { pageRef })
      .getOne();
    if (!page) return null;
    return { page, token: this.cipher.decrypt(page.tokenSealed, page.pageId) };
  }

  /** Meta refused the token: publishing waits, and every admin sees why on the connection page. */
  async needsReconnect(pageRef: string, error: GraphError): Promise<void> {
    const reason = `${error.tokenProblem ?? error.kind}: ${error.message}`;
    this.logger.warn(`The Page needs connecting again (${reason}); scheduled posts wait.`);
    await this.db.getRepository(FacebookPage).update(pageRef, { state: PageState.NeedsReconnect, stateReason: reason.slice(0, 1000) });
    await this.audit.record({ actor: null, action: 'page.needs_reconnect', target: { type: 'page', id: pageRef }, details: { kind: error.kind, code: error.code ?? null, subcode: error.subcode ?? null } });
  }

  async throttled(pageRef: string, until: Date, error: GraphError): Promise<void> {
    await this.db.getRepository(FacebookPage).update(pageRef, { state: PageState.Throttled, throttledUntil: until, stateReason: `code ${error.code ?? '?'}: ${error.message}`.slice(0, 1000) });
  }

  /** Whether the Page may be called now; a throttle whose time is over is lifted here. */
  async usable(page: FacebookPage, now = new Date()): Promise<boolean> {
    if (page.state === PageState.NeedsReconnect) return false;
    if (page.state === PageState.Throttled) {
      if (page.throttledUntil && page.throttledUntil > now) return false;
      await this.db.getRepository(FacebookPage).update({ id: page.id, state: PageState.Throttled }, { state: PageState.Working, throttledUntil: null, stateReason: null });
    }
    return true;
  }
}

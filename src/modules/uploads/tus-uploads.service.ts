import { ErrorCode } from '../../common/errors/app-error';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuthUser } from '../auth/auth-user';
import { ContentLanguage, MediaKind } from '../testimonies/testimony-status';
import { errorBody, explainTusStatus, toTusError, uploadError } from './upload-errors';
import { UploadFinisher } from './upload-finisher';
import { UploadIntake, UploadIntakeService } from './upload-intake';

/** The public path; the library builds Location headers from it, so it must match where Nest mounts the route. */
export const TUS_PATH = '/api/uploads/tus';
/** The web app reads the new (or existing) testimony's id from the response that completes an upload. */
export const TESTIMONY_ID_HEADER = 'Migra-Testimony-Id';
export const DUPLICATE_HEADER = 'Migra-Duplicate';

type TusRequest = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onIncomingRequest']>>[0];
type TusUpload = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onUploadCreate']>>[1];
type StoredMetadata = Record<string, string | null>;

/**
 * Resumable uploads (tus) staged on local disk. Who may upload is decided by the AccessGuard before the
 * request reaches tus; here each upload is tied to its creator, recorded server-side in its metadata.
 */
@Injectable()
export class TusUploads {
  private readonly logger = new Logger(TusUploads.name);
  readonly store: FileStore;
  readonly server: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: UploadIntakeService,
    private readonly finisher: UploadFinisher,
  ) {
    const { stagingDir, expiryHours, maxVideoBytes, maxPhotoBytes } = config.uploads;
    this.store = new FileStore({ directory: stagingDir, expirationPeriodInMilliseconds: expiryHours * 3600 * 1000 });
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.store,
      // Relative, so the address is right behind any proxy; the web app is on the same origin.
      relativeLocation: true,
      // The per-kind limit is checked in onUploadCreate; this stops anything larger before it.
      maxSize: Math.max(maxVideoBytes, maxPhotoBytes),
      // Same-origin only: no Access-Control-Allow-Origin for any origin.
      allowedOrigins: () => false,
      exposedHeaders: [TESTIMONY_ID_HEADER, DUPLICATE_HEADER],
      onIncomingRequest: (req, id) => this.checkOwner(req, id),
      onUploadCreate: (req, upload) => this.create(req, upload),
      onUploadFinish: (req, upload) => this.finish(upload),
      onResponseError: (req, error) => this.explain(req, error),
    });
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.server.handle(req, res);
  }

  /**
   * A phone that lost the answer to its last chunk asks for the offset again. Once the upload has become
   * an item, the staged file is gone (or about to be), so the answer comes from the item: the whole
   * length and the item's id, which tus clients take as a finished upload instead of sending it all again.
   */
  async offset(req: IncomingMessage, res: ServerResponse, user: AuthUser, uploadId: string): Promise<void> {
    const arrived = await this.finisher.arrived(user.id, uploadId);
    if (!arrived) return this.server.handle(req, res);
    res.writeHead(200, {
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': String(arrived.size),
      'Upload-Length': String(arrived.size),
      'Cache-Control': 'no-store',
      [TESTIMONY_ID_HEADER]: arrived.testimonyId,
    });
    res.end();
  }

  private userOf(req: TusRequest): AuthUser {
    const user = (req.runtime?.node?.req as { user?: AuthUser } | undefined)?.user;
    if (!user) throw new Error('tus request reached the upload server without a signed-in user');
    return user;
  }

  /** Someone else's upload answers "not found", so upload ids cannot be probed. */
  private async checkOwner(req: TusRequest, id: string): Promise<void> {
    if (req.method === 'POST') return;
    const upload = await this.store.getUpload(id);
    if (upload.metadata?.ownerId !== this.userOf(req).id) {
      throw toTusError(uploadError(HttpStatus.NOT_FOUND, ErrorCode.UploadNotFound, 'This upload was not found. It may have expired or been finished; start the upload again.'));
    }
  }

  private async create(req: TusRequest, upload: TusUpload): Promise<{ metadata: StoredMetadata }> {
    try {
      if (upload.sizeIsDeferred) {
        throw uploadError(HttpStatus.BAD_REQUEST, ErrorCode.UploadLengthRequired, 'Send the file size when the upload starts. Update the app and try again.');
      }
      const user = this.userOf(req);
      const intake = await this.intake.check(user, upload.id, upload.metadata ?? {}, upload.size);
      await this.assertRoomFor(user, upload.size ?? 0);
      return { metadata: toMetadata(intake) };
    } catch (error) {
      throw toTusError(error);
    }
  }

  /**
   * Staged files wait on this machine's disk until finished or expired; one person's abandoned uploads
   * must not fill it for everyone. Counts declared sizes, since each upload may grow to its size.
   */
  private async assertRoomFor(user: AuthUser, size: number): Promise<void> {
    const { configstore } = this.store;
    let staged = 0;
    for (const id of (await configstore.list?.()) ?? []) {
      const upload = await configstore.get(id);
      if (upload?.metadata?.ownerId === user.id) staged += upload.size ?? 0;
    }
    if (staged + size > this.config.uploads.stagingQuotaBytes) {
      const mb = (bytes: number) => Math.ceil(bytes / (1024 * 1024));
      throw uploadError(
        HttpStatus.CONFLICT,
        ErrorCode.UploadQuotaExceeded,
        `You already have ${mb(staged)} MB in unfinished uploads, and at most ${mb(this.config.uploads.stagingQuotaBytes)} MB may wait at once. Finish or cancel an upload first; unfinished ones are deleted after ${this.config.uploads.expiryHours} hours.`,
      );
    }
  }

  private async finish(upload: TusUpload): Promise<{ headers: Record<string, string> }> {
    try {
      const accepted = await this.finisher.accept(fromMetadata(upload.id, upload.metadata ?? {}));
      return { headers: { [TESTIMONY_ID_HEADER]: accepted.testimonyId, [DUPLICATE_HEADER]: String(accepted.duplicate) } };
    } catch (error) {
      throw toTusError(error);
    }
  }

  /** Every error body becomes our JSON `{ statusCode, error, message, code }`, in words a person can act on. */
  private explain(req: TusRequest, error: Error | { status_code: number; body: string }): { status_code: number; body: string } {
    const status = 'status_code' in error ? error.status_code : 500;
    const text = 'body' in error ? error.body : '';
    if (text.startsWith('{')) return { status_code: status, body: text };
    if (status >= 500) {
      this.logger.error(`tus ${req.method} failed: ${text || (error as Error).message}`);
      const message = 'Something went wrong on our side. Try the upload again; if it keeps happening, tell an admin.';
      return { status_code: status, body: JSON.stringify(errorBody(status, 'INTERNAL_ERROR', message)) };
    }
    const { code, message } = explainTusStatus(status, text);
    return { status_code: status, body: JSON.stringify(errorBody(status, code, message)) };
  }

  /** Finished uploads are taken over by the finisher; this drops unfinished ones older than the expiry. */
  cleanUpExpired(): Promise<number> {
    return this.server.cleanUpExpiredUploads();
  }
}

/** What is kept in `<id>.json`: only checked values and the owner, never the client's other keys. */
function toMetadata(intake: UploadIntake): StoredMetadata {
  const { details } = intake;
  return {
    ownerId: intake.ownerId,
    ownerUsername: intake.ownerUsername,
    communeId: intake.communeId,
    consentDeclaredAt: intake.consentDeclaredAt.toISOString(),
    title: details.title,
    description: details.description,
    language: details.language,
    kind: details.kind,
    filename: details.filename,
    revisionOf: details.revisionOf,
  };
}

export function fromMetadata(uploadId: string, m: StoredMetadata): UploadIntake {
  return {
    uploadId,
    ownerId: m.ownerId ?? '',
    ownerUsername: m.ownerUsername ?? '',
    communeId: m.communeId ?? '',
    consentDeclaredAt: new Date(m.consentDeclaredAt ?? Date.now()),
    details: {
      title: m.title ?? '',
      description: m.description ?? '',
      language: m.language as ContentLanguage,
      kind: m.kind as MediaKind,
      filename: m.filename ?? null,
      communeId: m.communeId ?? null,
      revisionOf: m.revisionOf ?? null,
    },
  };
}

import { BeforeApplicationShutdown, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { whileLocked } from '../../common/db/advisory-lock';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { processTestimonyJobId } from '../processing/process-testimony.job';
import { JobName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { storageKeys } from '../storage/storage-keys';
import { StorageService } from '../storage/storage.service';
import { Asset, AssetRole } from '../testimonies/asset.entity';
import { TestimonyLifecycle } from '../testimonies/testimony-lifecycle.service';
import { TestimonyStatus } from '../testimonies/testimony-status';
import { Testimony } from '../testimonies/testimony.entity';
import { removeStaged, sha256OfFile, sniffMedia, stagedPath } from './staged-media';
import { uploadError } from './upload-errors';
import { UploadIntake } from './upload-intake';

export interface AcceptedUpload {
  testimonyId: string;
  /** True when this educator had already uploaded the same bytes: the existing item comes back. */
  duplicate: boolean;
}

const UNIQUE_VIOLATION = '23505';

/**
 * The one way a complete upload (tus or multipart) becomes a testimony. `accept` answers fast with the
 * item's id; `handOver` then moves the bytes to S3 and starts processing. The original's asset row is
 * written with the testimony, so a hand-over that a crash interrupted is redone with the same key.
 */
@Injectable()
export class UploadFinisher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(UploadFinisher.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Testimony) private readonly testimonies: Repository<Testimony>,
    private readonly dataSource: DataSource,
    private readonly storage: StorageService,
    private readonly jobs: JobQueue,
    private readonly lifecycle: TestimonyLifecycle,
  ) {}

  private get stagingDir(): string {
    return this.config.uploads.stagingDir;
  }

  async accept(intake: UploadIntake): Promise<AcceptedUpload> {
    const path = stagedPath(this.stagingDir, intake.uploadId);
    const type = await sniffMedia(path, intake.details.kind).catch(async (error: unknown) => {
      await removeStaged(this.stagingDir, intake.uploadId);
      throw error;
    });
    const sha256 = await sha256OfFile(path);
    if (intake.details.revisionOf) return this.acceptRevision(intake, intake.details.revisionOf, type, sha256);
    const earlier = await this.findEarlier(intake, sha256);
    if (earlier) return this.reuse(earlier, intake);

    const testimonyId = randomUUID();
    const assetId = randomUUID();
    try {
      await this.dataSource.transaction(async (db) => {
        await db.insert(Testimony, {
          id: testimonyId,
          title: intake.details.title,
          description: intake.details.description,
          kind: intake.details.kind,
          language: intake.details.language,
          status: TestimonyStatus.Uploading,
          consentDeclaredAt: intake.consentDeclaredAt,
          uploadId: intake.uploadId,
          originalSha256: sha256,
          communeId: intake.communeId,
          educatorId: intake.ownerId,
        });
        await this.lifecycle.created({ id: testimonyId, status: TestimonyStatus.Uploading, kind: intake.details.kind }, { id: intake.ownerId, username: intake.ownerUsername }, db, {
          uploadId: intake.uploadId,
        });
        await db.insert(Asset, {
          id: assetId,
          testimonyId,
          role: AssetRole.Original,
          storageKey: storageKeys.asset(testimonyId, assetId, type.ext),
          mimeType: type.mime,
          byteSize: (await stat(path)).size,
          sha256,
          originalFilename: intake.details.filename,
        });
      });
    } catch (error) {
      // The same bytes (or the same upload) accepted concurrently: the other request's item wins.
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      const winner = code === UNIQUE_VIOLATION ? await this.findEarlier(intake, sha256) : null;
      if (!winner) throw error;
      return this.reuse(winner, intake);
    }
    this.startHandOver(testimonyId);
    return { testimonyId, duplicate: false };
  }

  /**
   * A corrected file for an item whose educator was asked for changes: the item keeps its id, comments,
   * consent and history, and its original is replaced. The earlier original is deleted once the new one
   * is in place, so no file with the old location data stays behind.
   */
  private async acceptRevision(intake: UploadIntake, testimonyId: string, type: { ext: string; mime: string }, sha256: string): Promise<AcceptedUpload> {
    const path = stagedPath(this.stagingDir, intake.uploadId);
    const assetId = randomUUID();
    let replacedKey: string | null = null;
    try {
      await this.dataSource.transaction(async (db) => {
        const item = await db.getRepository(Testimony).findOne({ where: { id: testimonyId, educatorId: intake.ownerId }, lock: { mode: 'pessimistic_write' } });
        if (!item) throw AppError.notFound('The item to correct');
        if (item.kind !== intake.details.kind) {
          throw uploadError(HttpStatus.BAD_REQUEST, ErrorCode.UploadWrongKind, `This item is a ${item.kind}: send the corrected ${item.kind}.`);
        }
        if (item.uploadId === intake.uploadId) return;
        if (item.originalSha256 === sha256) {
          throw AppError.conflict(ErrorCode.RevisionNotExpected, 'This is the same file as before. Send the corrected file.', { reason: 'same_file' });
        }
        if (item.status !== TestimonyStatus.ChangesRequested) {
          throw AppError.conflict(ErrorCode.RevisionNotExpected, 'A corrected file can be sent only after an editor asks for changes.', { status: item.status });
        }
        await this.lifecycle.move(
          testimonyId,
          {
            move: 'testimony.revision_started',
            actor: { id: intake.ownerId, username: intake.ownerUsername },
            set: { uploadId: intake.uploadId, originalSha256: sha256 },
            details: { uploadId: intake.uploadId },
          },
          db,
        );
        await db.update(Testimony, { id: testimonyId }, { title: intake.details.title, description: intake.details.description, language: intake.details.language });
        const original = await db.getRepository(Asset).findOneByOrFail({ testimonyId, role: AssetRole.Original });
        replacedKey = original.storageKey;
        await db.update(Asset, { id: original.id }, {
          storageKey: storageKeys.asset(testimonyId, assetId, type.ext),
          mimeType: type.mime,
          byteSize: (await stat(path)).size,
          sha256,
          originalFilename: intake.details.filename,
        });
      });
    } catch (error) {
      await removeStaged(this.stagingDir, intake.uploadId);
      throw error;
    }
    this.startHandOver(testimonyId, replacedKey);
    return { testimonyId, duplicate: false };
  }

  /** The item this person's finished upload became, with its size: for a phone that never got the last answer. */
  async arrived(ownerId: string, uploadId: string): Promise<{ testimonyId: string; size: number } | null> {
    const [row] = await this.dataSource.query(
      `SELECT t.id, a.byte_size FROM testimonies t JOIN assets a ON a.testimony_id = t.id AND a.role = 'original'
        WHERE t.upload_id = $1 AND t.educator_id = $2`,
      [uploadId, ownerId],
    );
    return row ? { testimonyId: row.id as string, size: Number(row.byte_size) } : null;
  }

  private findEarlier(intake: UploadIntake, sha256: string): Promise<Testimony | null> {
    return this.testimonies.findOne({ where: [{ uploadId: intake.uploadId }, { educatorId: intake.ownerId, originalSha256: sha256 }] });
  }

  private async reuse(earlier: Testimony, intake: UploadIntake): Promise<AcceptedUpload> {
    if (earlier.uploadId === intake.uploadId) {
      // This very upload was accepted before a crash: finish its hand-over rather than drop the bytes.
      this.startHandOver(earlier.id);
      return { testimonyId: earlier.id, duplicate: false };
    }
    await removeStaged(this.stagingDir, intake.uploadId);
    return { testimonyId: earlier.id, duplicate: true };
  }

  /** Runs the hand-over after the response; shutdown waits for it, and the sweep redoes it after a crash. */
  startHandOver(testimonyId: string, replacedKey: string | null = null): void {
    const run: Promise<void> = this.handOver(testimonyId)
      .then(() => (replacedKey ? this.storage.delete(replacedKey) : undefined))
      .catch((error: unknown) => this.logger.warn(`Hand-over of testimony ${testimonyId} failed; the sweep will retry: ${(error as Error).message}`))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /**
   * Moves the staged original to S3, marks the item `processing` and enqueues its job, exactly once:
   * a PostgreSQL advisory lock keeps two runs (this instance's sweep, another instance) apart.
   */
  async handOver(testimonyId: string): Promise<void> {
    await whileLocked(this.dataSource, `hand-over:${testimonyId}`, () => this.moveAndEnqueue(testimonyId));
  }

  private async moveAndEnqueue(testimonyId: string): Promise<void> {
    const testimony = await this.testimonies.findOneBy({ id: testimonyId });
    if (!testimony?.uploadId) return;
    if (testimony.status !== TestimonyStatus.Uploading) return removeStaged(this.stagingDir, testimony.uploadId);
    const original = await this.dataSource.getRepository(Asset).findOneByOrFail({ testimonyId, role: AssetRole.Original });

    const path = stagedPath(this.stagingDir, testimony.uploadId);
    if (existsSync(path)) {
      await this.storage.put(original.storageKey, createReadStream(path), { contentType: original.mimeType, contentLength: original.byteSize });
    } else if (!(await this.storage.head(original.storageKey))) {
      this.logger.error(`Testimony ${testimonyId} has neither a staged file nor a stored original; the educator must upload it again.`);
      return;
    }
    // A revision of an item continues its generations, so a job of the earlier file can tell it is stale.
    const before = testimony.processingGeneration;
    const generation = before + 1;
    const flipped = await this.lifecycle.tryMove(testimonyId, {
      move: 'testimony.handed_over',
      actor: null,
      generation: before,
      set: { processingGeneration: generation },
      details: { generation },
    });
    if (flipped) await this.enqueueOrUndo(testimonyId, before, generation);
    await removeStaged(this.stagingDir, testimony.uploadId);
  }

  /** Without its job the item would wait forever; put it back to `uploading` so the sweep tries again. */
  private async enqueueOrUndo(testimonyId: string, before: number, generation: number): Promise<void> {
    try {
      await this.jobs.enqueue(JobName.ProcessTestimony, { testimonyId, generation }, { jobId: processTestimonyJobId(testimonyId, generation) });
    } catch (error) {
      await this.lifecycle.tryMove(testimonyId, {
        move: 'testimony.hand_over_undone',
        actor: null,
        generation,
        set: { processingGeneration: before },
        details: { reason: (error as Error).message },
      });
      throw error;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}

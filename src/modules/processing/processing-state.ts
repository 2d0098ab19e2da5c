import { ErrorCode } from '../../common/errors/app-error';
import { MediaRejectedError } from '../media/media.types';
import { JobFailureReason } from '../queues/job-outcome';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Asset, AssetRole } from '../testimonies/asset.entity';
import { Testimony } from '../testimonies/testimony.entity';
import { TestimonyLifecycle } from '../testimonies/testimony-lifecycle.service';
import { TestimonyStatus } from '../testimonies/testimony-status';

/** The item's original is gone from storage: no retry brings it back. */
export class OriginalMissing extends Error {
  readonly code = ErrorCode.MediaOriginalMissing;
  constructor() {
    super('The uploaded file is missing, so it cannot be processed. Please upload it again.');
  }
}

/** Bad input, or a missing original: failures that no retry can fix. */
export function isPermanentMediaFailure(error: Error): boolean {
  return error instanceof MediaRejectedError || error instanceof OriginalMissing;
}

/** Which move a failed job makes: processing itself, or the publish rendition made after review began. */
type FailureMove = 'testimony.processing_failed' | 'testimony.publish_rendition_failed';

export type ProcessingStart =
  | { state: 'ready'; testimony: Testimony; original: Asset | null }
  | { state: 'stale' }
  /** The job was added before the request that bumped the generation committed: try again shortly. */
  | { state: 'ahead' };

/**
 * What the processing job writes on the testimony row. Every write names the generation it belongs to,
 * so a job that a newer request has superseded can no longer change what people see.
 */
@Injectable()
export class ProcessingState {
  constructor(
    @InjectRepository(Testimony) private readonly testimonies: Repository<Testimony>,
    @InjectRepository(Asset) private readonly assets: Repository<Asset>,
    private readonly lifecycle: TestimonyLifecycle,
  ) {}

  async begin(testimonyId: string, generation: number): Promise<ProcessingStart> {
    const testimony = await this.testimonies.findOneBy({ id: testimonyId });
    // Deleted, superseded, or moved on (withdrawn) while the job waited: nothing to do.
    if (!testimony || generation < testimony.processingGeneration) return { state: 'stale' };
    if (generation > testimony.processingGeneration) return { state: 'ahead' };
    if (testimony.status !== TestimonyStatus.Processing) return { state: 'stale' };
    await this.testimonies.update({ id: testimonyId, processingGeneration: generation, status: TestimonyStatus.Processing }, { progress: 0, failureReason: null, failureCode: null, failureFigures: null });
    const original = await this.assets.findOneBy({ testimonyId, role: AssetRole.Original });
    return { state: 'ready', testimony, original };
  }

  async progress(testimonyId: string, generation: number, percent: number): Promise<void> {
    await this.testimonies.update({ id: testimonyId, processingGeneration: generation, status: TestimonyStatus.Processing }, { progress: percent });
  }

  /**
   * Marks the item failed with the failure's code, where people see it and can ask for it again. Changes
   * nothing when the item has moved on (re-processed, withdrawn, deleted, or already failed).
   */
  async fail(testimonyId: string, generation: number, failure: JobFailureReason, move: FailureMove = 'testimony.processing_failed'): Promise<void> {
    await this.lifecycle.tryMove(testimonyId, {
      move,
      actor: null,
      generation,
      set: { failureReason: failure.reason.slice(0, 2000), failureCode: failure.code, failureFigures: failure.figures },
      details: { generation, code: failure.code, reason: failure.reason.slice(0, 500) },
    });
  }
}

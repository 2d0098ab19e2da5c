import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ExpectedJob, ExpectedWork, ExpectedWorkSource } from '../queues/expected-work';
import { JobName } from '../queues/job-catalog';
import { AssetRole } from '../testimonies/asset.entity';
import { MediaKind, TestimonyStatus } from '../testimonies/testimony-status';
import { Testimony } from '../testimonies/testimony.entity';
import { processTestimonyJobId, publishRenditionJobId } from './process-testimony.job';

/** Where a transcoded video waits for its publish rendition: approval needs it, rejection does not. */
const AWAITING_PUBLISH = [TestimonyStatus.InReview, TestimonyStatus.ChangesRequested];

/**
 * Every item in `processing` needs the job of its current generation. This also covers an upload whose
 * hand-over marked it `processing` but whose enqueue never happened (the API died in between).
 * A video in review with its review copy but no publish rendition needs the job that makes it: approval
 * waits for it. (A lost review-copy job of a remux is not listed: the publish rendition plays instead.)
 */
@ExpectedWork()
@Injectable()
export class ProcessingWorkSource implements ExpectedWorkSource {
  constructor(@InjectRepository(Testimony) private readonly testimonies: Repository<Testimony>) {}

  async expectedJobs(): Promise<ExpectedJob[]> {
    const processing = await this.testimonies.find({ where: { status: TestimonyStatus.Processing }, select: { id: true, processingGeneration: true } });
    const awaitingPublish = await this.testimonies
      .createQueryBuilder('t')
      .select(['t.id', 't.processingGeneration'])
      .where('t.status IN (:...statuses) AND t.kind = :video', { statuses: AWAITING_PUBLISH, video: MediaKind.Video })
      .andWhere(`EXISTS (SELECT 1 FROM assets a WHERE a.testimony_id = t.id AND a.role = :review)`, { review: AssetRole.Review })
      .andWhere(`NOT EXISTS (SELECT 1 FROM assets a WHERE a.testimony_id = t.id AND a.role = :publish)`, { publish: AssetRole.Publish })
      .getMany();
    return [
      ...processing.map(({ id, processingGeneration: generation }) => ({
        name: JobName.ProcessTestimony as const,
        data: { testimonyId: id, generation },
        jobId: processTestimonyJobId(id, generation),
        testimonyId: id,
      })),
      ...awaitingPublish.map(({ id, processingGeneration: generation }) => ({
        name: JobName.MakePublishRendition as const,
        data: { testimonyId: id, generation },
        jobId: publishRenditionJobId(id, generation),
        testimonyId: id,
      })),
    ];
  }
}

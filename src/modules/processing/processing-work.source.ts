import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ExpectedJob, ExpectedWork, ExpectedWorkSource } from '../queues/expected-work';
import { JobName } from '../queues/job-catalog';
import { TestimonyStatus } from '../testimonies/testimony-status';
import { Testimony } from '../testimonies/testimony.entity';
import { processTestimonyJobId } from './process-testimony.job';

/**
 * Every item in `processing` needs the job of its current generation. This also covers an upload whose
 * hand-over marked it `processing` but whose enqueue never happened (the API died in between).
 */
@ExpectedWork()
@Injectable()
export class ProcessingWorkSource implements ExpectedWorkSource {
  constructor(@InjectRepository(Testimony) private readonly testimonies: Repository<Testimony>) {}

  async expectedJobs(): Promise<ExpectedJob[]> {
    const processing = await this.testimonies.find({ where: { status: TestimonyStatus.Processing }, select: { id: true, processingGeneration: true } });
    return processing.map(({ id, processingGeneration: generation }) => ({
      name: JobName.ProcessTestimony,
      data: { testimonyId: id, generation },
      jobId: processTestimonyJobId(id, generation),
      testimonyId: id,
    }));
  }
}

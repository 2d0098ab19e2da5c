import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExpectedJob, ExpectedWork, ExpectedWorkSource } from '../../queues/expected-work';
import { JobName } from '../../queues/job-catalog';
import { Publication, PublicationState } from '../publication.entity';
import { publishJobId, TAKEDOWN_ATTEMPTS, takeDownJobId } from '../publishing.job';

/**
 * What the publications table says the publishing queue must hold: a job for every publication that is
 * due, or whose send was under way or lost; and one for every takedown not yet confirmed. A future
 * publication whose delayed job Redis lost is added back once it is due, by the next reconcile.
 */
@ExpectedWork()
@Injectable()
export class PublicationWorkSource implements ExpectedWorkSource {
  constructor(private readonly db: DataSource) {}

  async expectedJobs(): Promise<ExpectedJob[]> {
    const sends = await this.db
      .getRepository(Publication)
      .createQueryBuilder('p')
      .select(['p.id', 'p.version', 'p.testimonyId', 'p.state'])
      .where(`(p.state = :scheduled AND p.scheduledAt <= now()) OR p.state IN (:...inFlight)`, {
        scheduled: PublicationState.Scheduled,
        inFlight: [PublicationState.Publishing, PublicationState.Unknown],
      })
      .getMany();
    const takedowns = await this.db
      .getRepository(Publication)
      .createQueryBuilder('p')
      .select(['p.id', 'p.testimonyId'])
      .where('p.takedownRequestedAt IS NOT NULL AND p.takenDownAt IS NULL')
      .getMany();
    return [
      ...sends.map(
        (p): ExpectedJob => ({
          name: JobName.PublishPublication,
          data: { publicationId: p.id, version: p.version },
          jobId: publishJobId(p.id, p.version),
          testimonyId: p.testimonyId,
          // A send given up on left the row `unknown`: the Page is looked at again at each pass until it
          // says what happened, rather than the row waiting for someone to press Reconcile.
          rerunIf: p.state === PublicationState.Unknown ? ['failed'] : undefined,
        }),
      ),
      ...takedowns.map(
        (p): ExpectedJob => ({
          name: JobName.TakeDownPublication,
          data: { publicationId: p.id },
          jobId: takeDownJobId(p.id),
          options: { attempts: TAKEDOWN_ATTEMPTS },
          testimonyId: p.testimonyId,
          rerunIf: ['completed'],
        }),
      ),
    ];
  }
}

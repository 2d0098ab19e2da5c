/**
 * Publishing a 200 MB video to the fake Page: the whole publish job (claim, resumable upload streamed
 * from S3 with every offset stored, finish, status polling) beside a bare upload of the same bytes to the
 * same server by the Graph client alone. Target: at least 80% of the bare throughput, and the worker's
 * memory growing by less than 64 MB (the file is never held in memory).
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { ConsentChannel, ConsentMethod, ConsentRecord, Identifiability } from '../src/modules/consent/consent-record.entity';
import { Commune } from '../src/modules/places/commune.entity';
import { Scheduling } from '../src/modules/publishing/facebook-page.entity';
import { GraphApi } from '../src/modules/publishing/graph/graph-api.port';
import { PageConnectionService } from '../src/modules/publishing/page-connection.service';
import { Publication, PublicationState } from '../src/modules/publishing/publication.entity';
import { publishJobId } from '../src/modules/publishing/publishing.job';
import { JobName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { Decision, DecisionKind } from '../src/modules/review/decision.entity';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { StorageService } from '../src/modules/storage/storage.service';
import { AssetRole } from '../src/modules/testimonies/asset.entity';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { Role } from '../src/modules/users/role';
import { User } from '../src/modules/users/user.entity';
import { WorkerModule } from '../src/worker.module';
import { FakeGraph } from '../test/fake-graph/fake-graph.server';
import { BenchEnv, MB, peakRssGrowth, randomStream, record, time } from './support';

const SIZE = 200 * MB;
const CHUNK = 8 * MB;

export async function benchPublishing(env: BenchEnv): Promise<void> {
  const fake = await FakeGraph.start({ videoChunkBytes: CHUNK, videoProcessingPolls: 0, videoProcessingMs: 0 });
  const page = fake.addPage();
  const config = loadConfig({ ...env, ...fake.env, PUBLISH_VIDEO_POLL_MS: '100' });
  const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await worker.init();
  try {
    const storage = worker.get(StorageService, { strict: false });
    const key = storageKeys.asset(randomUUID(), randomUUID(), 'mp4');
    await storage.put(key, randomStream(SIZE), { contentType: 'video/mp4', contentLength: SIZE });

    // Read once first, so neither run pays for the cold object on disk.
    for await (const _ of await storage.get(key)) void _;
    const graph = worker.get(GraphApi, { strict: false });
    const [bareMs] = await time(async () => {
      const session = await graph.startVideoUpload(page.id, page.token, SIZE);
      let { startOffset, endOffset } = session;
      while (startOffset < endOffset) {
        ({ startOffset, endOffset } = await graph.transferVideoChunk(page.id, page.token, {
          uploadSessionId: session.uploadSessionId,
          startOffset,
          chunk: await storage.getRange(key, startOffset, endOffset),
          length: endOffset - startOffset,
        }));
      }
    });

    const publication = await arrange(worker, key);
    const db = worker.get(DataSource);
    const [growth, [oursMs]] = await peakRssGrowth(() =>
      time(async () => {
        await worker.get(JobQueue).enqueue(JobName.PublishPublication, { publicationId: publication.id, version: 1 }, { jobId: publishJobId(publication.id, 1) });
        for (;;) {
          const row = await db.getRepository(Publication).findOneByOrFail({ id: publication.id });
          if (row.state === PublicationState.Published) return;
          if (row.state === PublicationState.Failed) throw new Error(`publishing failed: ${row.errorMessage}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
    const sent = fake.videos(page.id).filter((v) => v.finishedAt);
    if (sent.length !== 1 || sent[0].received !== SIZE) throw new Error(`the fake Page holds ${sent.length} finished video(s), expected one of ${SIZE} bytes`);
    const mbps = (ms: number) => SIZE / MB / (ms / 1000);
    record('Publish a 200 MB video to the fake Page: throughput vs a bare chunked upload', mbps(oursMs), mbps(bareMs), 'MB/s', '>= 0.80x');
    record('Publish a 200 MB video: worker memory growth vs the 64 MB budget', growth, 64, 'MB', '< 1.00x');
  } finally {
    await worker.close();
    await fake.close();
  }

  /** An approved video with a consent, its pinned rendition, the connected Page and a due publication. */
  async function arrange(app: INestApplicationContext, storageKey: string): Promise<Publication> {
    const db = app.get(DataSource);
    const commune = await db.getRepository(Commune).findOneByOrFail({ code: '010201' });
    const people = await db.getRepository(User).save([
      { username: `bench-e-${randomUUID().slice(0, 6)}`, displayName: 'Bench', role: Role.Educator, communeId: commune.id, passwordHash: 'x' },
      { username: `bench-d-${randomUUID().slice(0, 6)}`, displayName: 'Bench', role: Role.Editor, communeId: null, passwordHash: 'x' },
    ]);
    const item = await db.getRepository(Testimony).save({ title: 'bench', kind: MediaKind.Video, language: 'km' as const, status: TestimonyStatus.Approved, communeId: commune.id, educatorId: people[0].id });
    await db.getRepository(ConsentRecord).save({
      testimonyId: item.id, personLabel: 'B', isMinor: false, method: ConsentMethod.WrittenForm, explainedBy: 'bench', explanationLanguage: 'Khmer',
      channels: [ConsentChannel.FacebookPage], identifiability: Identifiability.Fully, givenOn: '2026-01-01', validUntil: '2030-01-01', referralGiven: true,
    });
    const pinned = { generation: 1, renditions: [{ role: AssetRole.Publish, variant: '', assetId: randomUUID(), storageKey }], captions: [] };
    const decision = await db.getRepository(Decision).save({ testimonyId: item.id, kind: DecisionKind.Approved, note: '', decidedById: people[1].id, pinned });
    const connected = await app.get(PageConnectionService, { strict: false }).connect(null, { pageId: page.id, token: page.token, scheduling: Scheduling.Worker });
    return db.getRepository(Publication).save({
      testimonyId: item.id, pageRef: connected.id, decisionId: decision.id, kind: MediaKind.Video, state: PublicationState.Scheduled,
      scheduledAt: new Date(), messageKm: 'bench', messageEn: '', pinned,
    });
  }
}

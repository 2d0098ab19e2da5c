import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processTestimonyJobId } from '../src/modules/processing/process-testimony.job';
import { QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { StorageService } from '../src/modules/storage/storage.service';
import { Asset, AssetRole } from '../src/modules/testimonies/asset.entity';
import { MediaKind, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { UploadSweep } from '../src/modules/uploads/upload-sweep';
import { TestApp, testDb } from './support/test-app';
import { encodeMetadata, sha256, sha256OfStream, TUS, tusRequest, videoMetadata, closeUploadTestbed, startUploadTestbed, UploadTestbed } from './support/upload-helpers';
import { waitFor } from './support/faults';

describe('Upload sweep: crash recovery and expiry', () => {
  let bed: UploadTestbed | undefined;
  let api: TestApp;
  let staging: string;
  let media: UploadTestbed['media'];
  let educator: UploadTestbed['educator'];

  beforeAll(async () => {
    bed = await startUploadTestbed({ UPLOAD_EXPIRY_HOURS: '1' });
    ({ api, staging, media, educator } = bed);
  });
  afterAll(() => closeUploadTestbed(bed));

  const sweep = () => api.app.get(UploadSweep).sweep();
  const createUpload = async (length: number, metadata = videoMetadata()) => {
    const res = await tusRequest(`${api.url}${TUS}`, 'POST', { Authorization: `Bearer ${educator.token}`, 'Upload-Length': length, 'Upload-Metadata': encodeMetadata(metadata) });
    expect(res.status).toBe(201);
    return String(res.headers.location).split('/').pop()!;
  };

  it('finishes a hand-over a crash interrupted exactly once, even with two sweeps at the same time', async () => {
    // What accept() leaves behind when the process dies right after answering: rows in `uploading`, bytes staged.
    const db = await testDb();
    const data = Buffer.concat([media.mp4, randomBytes(1000)]);
    const uploadId = `photo-${randomBytes(16).toString('hex')}`;
    const testimonyId = randomUUID();
    const assetId = randomUUID();
    writeFileSync(join(staging, uploadId), data);
    await db.getRepository(Testimony).insert({
      id: testimonyId, title: 'Interrupted', kind: MediaKind.Video, language: 'km', status: TestimonyStatus.Uploading, uploadId,
      originalSha256: sha256(data), consentDeclaredAt: new Date(), communeId: educator.communeId!, educatorId: educator.id,
    });
    const key = storageKeys.asset(testimonyId, assetId, 'mp4');
    await db.getRepository(Asset).insert({ id: assetId, testimonyId, role: AssetRole.Original, storageKey: key, mimeType: 'video/mp4', byteSize: data.length, sha256: sha256(data), originalFilename: 'x.mp4' });

    const reports = await Promise.all([sweep(), sweep()]);
    expect(reports.map((r) => r.handedOver).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(1);
    await sweep();

    expect(await db.getRepository(Testimony).findOneByOrFail({ id: testimonyId })).toMatchObject({ status: TestimonyStatus.Processing, processingGeneration: 1 });
    expect(await db.getRepository(Asset).countBy({ testimonyId, role: AssetRole.Original })).toBe(1);
    expect(await sha256OfStream(await api.app.get(StorageService).get(key))).toBe(sha256(data));
    const queue = api.app.get(JobQueue).queue(QueueName.Media);
    const jobs = (await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.data?.testimonyId === testimonyId);
    expect(jobs.map((j) => j.id)).toEqual([processTestimonyJobId(testimonyId, 1)]);
    await jobs[0].remove().catch(() => undefined);
    expect(existsSync(join(staging, uploadId))).toBe(false);
  });

  it('accepts a tus upload that received every byte but whose finish a crash cut short', async () => {
    const data = Buffer.concat([media.mp4, randomBytes(1000)]);
    const id = await createUpload(data.length, videoMetadata({ title: 'Cut short' }));
    writeFileSync(join(staging, id), data); // the bytes arrived; the finish hook never ran

    expect((await sweep()).accepted).toBe(1);
    const db = await testDb();
    const testimony = await waitFor('processing', () => db.getRepository(Testimony).findOneBy({ uploadId: id, status: TestimonyStatus.Processing }));
    expect(testimony).toMatchObject({ title: 'Cut short', educatorId: educator.id, originalSha256: sha256(data) });
    await waitFor('the staged upload to go', async () => !existsSync(join(staging, id)) && !existsSync(join(staging, `${id}.json`)));
    await (await api.app.get(JobQueue).queue(QueueName.Media).getJob(processTestimonyJobId(testimony.id, 1)))?.remove().catch(() => undefined);
  });

  it('removes unfinished uploads and orphaned photos older than the expiry, and keeps recent ones', async () => {
    const old = await createUpload(5000);
    const recent = await createUpload(5000);
    const info = join(staging, `${old}.json`);
    const stored = JSON.parse(readFileSync(info, 'utf8')) as { creation_date: string };
    writeFileSync(info, JSON.stringify({ ...stored, creation_date: new Date(Date.now() - 2 * 3600 * 1000).toISOString() }));
    const orphan = join(staging, `photo-${randomBytes(16).toString('hex')}`);
    writeFileSync(orphan, media.jpeg);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(orphan, twoHoursAgo, twoHoursAgo);

    expect((await sweep()).expired).toBe(2);
    expect(existsSync(join(staging, old))).toBe(false);
    expect(existsSync(info)).toBe(false);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(join(staging, recent))).toBe(true);
    const head = await tusRequest(`${api.url}${TUS}/${old}`, 'HEAD', { Authorization: `Bearer ${educator.token}` });
    expect(head.status).toBe(404);
  });
});

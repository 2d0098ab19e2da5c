/**
 * A 1 GB resumable upload over loopback into the real API process (compiled, as deployed), beside a
 * direct S3 multipart put of the same file; and the API process's peak memory while it takes the
 * upload and hands it over to S3.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { createDataSource } from '../src/database/data-source';
import { Commune } from '../src/modules/places/commune.entity';
import { StorageService } from '../src/modules/storage/storage.service';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { PasswordHasher } from '../src/modules/users/password-hasher';
import { Role } from '../src/modules/users/role';
import { User } from '../src/modules/users/user.entity';
import { BenchEnv, MB, note, peakRssOf, record, time, waitForReady } from './support';

const CHUNK = 64 * MB;

/** A real MP4 header (so the type sniffing accepts it) followed by 1 GB of incompressible bytes. */
function oneGigabyteVideo(dir: string): string {
  const path = join(dir, 'upload-1gb.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '1', '-pix_fmt', 'yuv420p', path]);
  execFileSync('sh', ['-c', `head -c ${1024 * MB} /dev/urandom >> "${path}"`]);
  return path;
}

export async function benchUpload(env: BenchEnv, dir: string, apiScript: string): Promise<void> {
  const file = oneGigabyteVideo(dir);
  const size = statSync(file).size;
  const config = loadConfig(env);

  const storage = new StorageService(config);
  const [directMs] = await time(() => storage.put('bench/direct-1gb', createReadStream(file), { contentType: 'video/mp4' }));
  await storage.delete('bench/direct-1gb');
  storage.onModuleDestroy();

  const db: DataSource = await createDataSource(config).initialize();
  const commune = await db.getRepository(Commune).findOneByOrFail({ code: '010201' });
  const password = 'bench-password-123';
  const educator = await db.getRepository(User).save({
    username: `bench-${randomUUID().slice(0, 8)}`, displayName: 'Bench', role: Role.Educator, communeId: commune.id,
    passwordHash: await new PasswordHasher().hash(password),
  });

  const port = 3900 + (process.pid % 50);
  const url = `http://127.0.0.1:${port}`;
  const api = spawn(process.execPath, [apiScript], { env: { ...process.env, ...env, PORT: String(port), UPLOAD_STAGING_DIR: join(dir, 'staging') }, stdio: 'ignore' });
  try {
    await waitForReady(url);
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: educator.username, password }) });
    const { accessToken } = (await login.json()) as { accessToken: string };

    let testimonyId = '';
    const [tusMs] = await time(
      () =>
        new Promise<void>((resolve, reject) => {
          const upload = new tus.Upload(createReadStream(file), {
            endpoint: `${url}/api/uploads/tus`,
            chunkSize: CHUNK,
            uploadSize: size,
            headers: { Authorization: `Bearer ${accessToken}` },
            metadata: { filename: 'ទីបន្ទាល់.mp4', filetype: 'video/mp4', title: 'bench', language: 'km', kind: 'video', consent: 'true' },
            onAfterResponse: (_req, res) => {
              testimonyId = res.getHeader('Migra-Testimony-Id') || testimonyId;
            },
            onSuccess: () => resolve(),
            onError: reject,
          });
          upload.start();
        }),
    );
    // The hand-over to S3 runs after the answer; memory is read once it is done.
    for (;;) {
      const item = await db.getRepository(Testimony).findOneBy({ id: testimonyId });
      if (item && item.status !== TestimonyStatus.Uploading) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const peak = peakRssOf(api.pid!);
    const mbps = (ms: number) => size / MB / (ms / 1000);
    record('Upload 1 GB: tus over loopback vs direct S3 multipart put (MB/s)', mbps(tusMs), mbps(directMs), 'MB/s', '>= 0.7x');
    note('API process peak RSS during the 1 GB upload and hand-over', `${peak.toFixed(0)} MB`, '300 MB (limit)', `${(peak / 300).toFixed(2)}x`, '< 300 MB');
  } finally {
    api.kill('SIGTERM');
    await db.destroy();
  }
}

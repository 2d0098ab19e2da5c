import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StorageService } from '../storage/storage.service';

export interface JobWorkspace {
  dir: string;
  dispose(): Promise<void>;
}

/**
 * A private temp folder for one job run. It is named after the job, so that a run starting after a
 * killed one (a worker that is SIGKILLed or OOM-killed cannot clean up) removes what that run left.
 */
export async function openJobWorkspace(workDir: string, jobId: string): Promise<JobWorkspace> {
  // The trailing dash keeps job "…-1" from matching the folders of job "…-10".
  const stem = `migra-${jobId.replace(/[^A-Za-z0-9-]/g, '_')}-`;
  await mkdir(workDir, { recursive: true });
  const leftovers = (await readdir(workDir)).filter((name) => name.startsWith(stem));
  await Promise.all(leftovers.map((name) => rm(join(workDir, name), { recursive: true, force: true })));
  const dir = await mkdtemp(join(workDir, stem));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Streams a stored object to a local file: ffmpeg and sharp need files, and a video must not sit in memory. */
export async function stageObject(storage: StorageService, key: string, path: string): Promise<string> {
  await pipeline(await storage.get(key), createWriteStream(path));
  return path;
}

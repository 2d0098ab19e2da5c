import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { endRecordedProcessGroups, isAlive, processIdentity, recordProcessGroupsIn } from '../media/process-groups';
import { StorageService } from '../storage/storage.service';

export interface JobWorkspace {
  dir: string;
  /** Runs the job's work so that the ffmpeg it starts can be ended by a later run (see process-groups). */
  run<T>(work: () => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

const PREFIX = 'migra-';
const OWNER_FILE = 'owner';

/**
 * A private temp folder for one job run. It is named after the job, so that a run starting after a
 * killed one (a worker that is SIGKILLed or OOM-killed cannot clean up) ends the ffmpeg that run left
 * running and removes its files.
 */
export async function openJobWorkspace(workDir: string, jobId: string): Promise<JobWorkspace> {
  // The trailing dash keeps job "…-1" from matching the folders of job "…-10".
  const stem = `${PREFIX}${jobId.replace(/[^A-Za-z0-9-]/g, '_')}-`;
  await mkdir(workDir, { recursive: true });
  const leftovers = (await readdir(workDir)).filter((name) => name.startsWith(stem));
  await Promise.all(leftovers.map((name) => removeWorkspace(join(workDir, name))));
  const dir = await mkdtemp(join(workDir, stem));
  await writeFile(join(dir, OWNER_FILE), processIdentity(process.pid));
  return { dir, run: (work) => recordProcessGroupsIn(dir, work), dispose: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * At worker start-up: the folders of runs whose worker process is gone, with any ffmpeg they left.
 * A folder of a live worker (another process sharing the work dir) is kept, and so is one with no owner
 * recorded, which may be a run that is just starting. Returns how many were removed.
 */
export async function removeAbandonedWorkspaces(workDir: string): Promise<number> {
  const names = (await readdir(workDir).catch(() => [] as string[])).filter((name) => name.startsWith(PREFIX));
  let removed = 0;
  for (const name of names) {
    const owner = await readFile(join(workDir, name, OWNER_FILE), 'utf8').catch(() => null);
    if (owner === null || isAlive(owner)) continue;
    await removeWorkspace(join(workDir, name));
    removed++;
  }
  return removed;
}

async function removeWorkspace(dir: string): Promise<void> {
  endRecordedProcessGroups(dir);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Streams a stored object to a local file: ffmpeg and sharp need files, and a video must not sit in memory.
 * A 1 MB buffer rather than the default 16 KB: the download pauses for the disk far less often (measured:
 * a 114 MB original staged in 0.19 s instead of 0.27 s, median of 6).
 */
const STAGING_BUFFER_BYTES = 1024 * 1024;

export async function stageObject(storage: StorageService, key: string, path: string): Promise<string> {
  await pipeline(await storage.get(key), createWriteStream(path, { highWaterMark: STAGING_BUFFER_BYTES }));
  return path;
}

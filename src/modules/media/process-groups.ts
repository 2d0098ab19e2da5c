import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * ffmpeg runs in a process group of its own, so a worker that is SIGKILLed leaves it running until its
 * CPU time limit: on a 2-core machine that is up to two hours competing with the job's retry. Each run
 * records its groups in its job folder, so whoever finds that folder later (the retry, a new worker)
 * can end them.
 */
const recordingDir = new AsyncLocalStorage<string>();
const GROUPS_FILE = 'process-groups';

/** Runs `work` so that every process group the ffmpeg runner starts inside it is written to `dir`. */
export function recordProcessGroupsIn<T>(dir: string, work: () => Promise<T>): Promise<T> {
  return recordingDir.run(dir, work);
}

/** Called by the runner for each group leader it spawns; outside recordProcessGroupsIn it does nothing. */
export function recordProcessGroup(pid: number): void {
  const dir = recordingDir.getStore();
  if (!dir) return;
  try {
    // Synchronous and tiny: written before ffmpeg has done any real work, so a kill right after still finds it.
    appendFileSync(join(dir, GROUPS_FILE), `${processIdentity(pid)}\n`);
  } catch {
    // The folder is gone (the run is being cleaned up): nobody will look for this group there anyway.
  }
}

/** Ends (SIGKILL) every recorded group whose leader is still the process that was recorded; returns how many. */
export function endRecordedProcessGroups(dir: string): number {
  let lines: string[];
  try {
    lines = readFileSync(join(dir, GROUPS_FILE), 'utf8').split('\n').filter(Boolean);
  } catch {
    return 0;
  }
  let ended = 0;
  for (const identity of lines) {
    if (!isAlive(identity)) continue;
    try {
      process.kill(-Number(identity.split(' ')[0]), 'SIGKILL');
      ended++;
    } catch {
      // gone meanwhile
    }
  }
  return ended;
}

/**
 * A pid with its start time (from /proc, on Linux): a pid alone may by now belong to another program,
 * for example after a container restart, where the new worker often gets the old one's pid.
 */
export function processIdentity(pid: number): string {
  const started = readStat(pid)?.startTime;
  return started === undefined ? String(pid) : `${pid} ${started}`;
}

/** True while the process named by processIdentity() still runs (and is not a zombie). */
export function isAlive(identity: string): boolean {
  const [pidText, started] = identity.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    // Gone, or (EPERM) a process of another user, which cannot be one of ours.
    return false;
  }
  const now = readStat(pid);
  if (now === null) return started === undefined;
  return now.state !== 'Z' && (started === undefined || now.startTime === started);
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function readStat(pid: number): { state: string; startTime: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 3 (state) is fields[0]; field 22 (start time, in clock ticks since boot) is fields[19].
    return { state: fields[0], startTime: fields[19] };
  } catch {
    return null;
  }
}

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, processIdentity, recordProcessGroup } from '../media/process-groups';
import { openJobWorkspace, removeAbandonedWorkspaces } from './job-workspace';

/** A process group like the ffmpeg runner's (detached), started inside the workspace's run(). */
async function groupStartedIn(workspace: Awaited<ReturnType<typeof openJobWorkspace>>): Promise<string> {
  return workspace.run(async () => {
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    child.unref();
    recordProcessGroup(child.pid!);
    return processIdentity(child.pid!);
  });
}

/** SIGKILL takes effect when the kernel next schedules the process: give it a moment before looking. */
async function ended(identity: string): Promise<boolean> {
  for (let i = 0; i < 50 && isAlive(identity); i++) await new Promise((r) => setTimeout(r, 20));
  return !isAlive(identity);
}

/** The identity of a process that has exited. */
async function deadProcess(): Promise<string> {
  const child = spawn('true');
  const identity = processIdentity(child.pid!);
  await new Promise((done) => child.once('exit', done));
  return identity;
}

describe('openJobWorkspace', () => {
  let workDir: string;
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'migra-workspace-spec-'));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it('removes what a killed run of the same job left, and nothing of other jobs', async () => {
    mkdirSync(join(workDir, 'migra-process-a-1-old123'));
    writeFileSync(join(workDir, 'migra-process-a-1-old123', 'publish.mp4'), 'partial');
    mkdirSync(join(workDir, 'migra-process-a-10-xyz789'));
    mkdirSync(join(workDir, 'someone-elses'));

    const workspace = await openJobWorkspace(workDir, 'process-a-1');
    expect(readdirSync(workDir).sort()).toEqual(['migra-process-a-10-xyz789', workspace.dir.split('/').pop(), 'someone-elses'].sort());

    await workspace.dispose();
    expect(readdirSync(workDir).sort()).toEqual(['migra-process-a-10-xyz789', 'someone-elses']);
  });

  it('keeps a job id from naming a folder outside the work dir', async () => {
    const workspace = await openJobWorkspace(workDir, '../../etc');
    expect(workspace.dir.startsWith(join(workDir, 'migra-'))).toBe(true);
    await workspace.dispose();
  });

  it('ends the process groups a killed run of the same job left running', async () => {
    const killedRun = await openJobWorkspace(workDir, 'process-b-1');
    const orphan = await groupStartedIn(killedRun);
    expect(isAlive(orphan)).toBe(true);

    const retry = await openJobWorkspace(workDir, 'process-b-1');
    expect(await ended(orphan)).toBe(true);
    await retry.dispose();
  });

  it('at start-up removes the folders of dead workers with their processes, and keeps live and unknown ones', async () => {
    const abandoned = await openJobWorkspace(workDir, 'process-c-1');
    const orphan = await groupStartedIn(abandoned);
    writeFileSync(join(abandoned.dir, 'owner'), await deadProcess());
    const live = await openJobWorkspace(workDir, 'process-d-1');
    const running = await groupStartedIn(live);
    mkdirSync(join(workDir, 'migra-process-e-1-unowned'));

    expect(await removeAbandonedWorkspaces(workDir)).toBe(1);
    expect(await ended(orphan)).toBe(true);
    expect(isAlive(running)).toBe(true);
    expect(readdirSync(workDir).sort()).toEqual(['migra-process-e-1-unowned', live.dir.split('/').pop()].sort());
    process.kill(-Number(running.split(' ')[0]), 'SIGKILL');
    await live.dispose();
  });
});

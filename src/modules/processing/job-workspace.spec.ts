import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJobWorkspace } from './job-workspace';

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
});

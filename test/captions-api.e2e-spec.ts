import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { Asset, AssetRole } from '../src/modules/testimonies/asset.entity';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { anyCommune, closeTestDb, createTestTestimony, signedIn, startTestApp, TestApp, testDb } from './support/test-app';

type Person = Awaited<ReturnType<typeof signedIn>>;

const KM = [
  { startMs: 0, endMs: 2500, text: 'ខ្ញុំបានទៅធ្វើការនៅថៃ' },
  { startMs: 3000, endMs: 5500, text: 'ដោយគ្មានលិខិតឆ្លងដែន' },
];
const SRT_KM = '1\r\n00:00:00,000 --> 00:00:02,500\r\nខ្ញុំបានទៅធ្វើការនៅថៃ\r\n\r\n2\r\n00:00:03,000 --> 00:00:05,500\r\nដោយគ្មានលិខិតឆ្លងដែន\r\n';

describe('Captions API', () => {
  let api: TestApp;
  let owner: Person;
  let editor: Person;
  let lead: Person;
  let stranger: Person;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await signedIn(api.url, 'educator', { displayName: 'សុខា' });
    stranger = await signedIn(api.url, 'educator', { communeId: (await anyCommune('220101')).id });
    editor = await signedIn(api.url, 'editor');
    lead = await signedIn(api.url, 'lead');
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  const newItem = async (): Promise<string> => (await createTestTestimony(owner)).id;
  const call = (who: Person, method: 'get' | 'put' | 'patch' | 'post', path: string) =>
    request(api.url)[method](`/api/testimonies/${path}`).set('Authorization', `Bearer ${who.token}`);
  const put = (who: Person, id: string, cues: object[], extra: object = {}) => call(who, 'put', `${id}/captions/km`).send({ cues, ...extra });
  const importFile = (who: Person, id: string, body: Buffer | string, name: string) =>
    call(who, 'post', `${id}/captions/km/import`).attach('file', Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), name);
  const version = async (id: string) => (await call(editor, 'get', `${id}/captions/km`)).body.version as number | undefined;
  const setVideo = async (testimonyId: string, fields: Partial<Asset>) => {
    const db = await testDb();
    await db.getRepository(Asset).insert({
      testimonyId, variant: '', storageKey: storageKeys.asset(testimonyId, randomUUID(), 'mp4'), mimeType: 'video/mp4', byteSize: 1, ...fields,
    } as Asset);
  };

  it('replaces, reads, lists versions and restores (undo) Khmer captions, auditing each change', async () => {
    const id = await newItem();
    const first = await put(owner, id, KM);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ language: 'km', source: 'edited', version: 1, cues: KM });

    const second = await put(owner, id, [{ startMs: 0, endMs: 2000, text: 'សួស្តី' }], { baseVersion: 1 });
    expect(second.body.version).toBe(2);

    const list = await call(lead, 'get', `${id}/captions`);
    expect(list.body).toEqual([expect.objectContaining({ language: 'km', source: 'edited', version: 2, cueCount: 1, updatedBy: 'សុខា' })]);
    const versions = await call(owner, 'get', `${id}/captions/km/versions`);
    expect(versions.body.map((v: { version: number; cueCount: number }) => [v.version, v.cueCount])).toEqual([[2, 1], [1, 2]]);

    const restored = await call(owner, 'post', `${id}/captions/km/versions/1/restore`);
    expect(restored.status).toBe(201);
    expect(restored.body).toMatchObject({ version: 3, source: 'edited', cues: KM });
    expect((await call(owner, 'get', `${id}/captions/km`)).body.cues).toEqual(KM);

    const audit = await (await testDb()).getRepository(AuditEvent).findBy({ targetId: id });
    expect(audit.map((e) => e.action).sort()).toEqual(['caption.replaced', 'caption.replaced', 'caption.restored']);
  });

  it('changes one cue as a new version, and checks it like a whole replacement', async () => {
    const id = await newItem();
    await put(owner, id, KM);
    const edited = await call(editor, 'patch', `${id}/captions/km/cues/1`).send({ text: 'ដោយគ្មានឯកសារ', endMs: 6000 });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(edited.body.cues[1]).toEqual({ startMs: 3000, endMs: 6000, text: 'ដោយគ្មានឯកសារ' });
    const overlapping = await call(editor, 'patch', `${id}/captions/km/cues/1`).send({ startMs: 1000 });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.message).toMatch(/overlaps cue 1/);
    expect((await call(editor, 'patch', `${id}/captions/km/cues/5`).send({ text: 'x' })).status).toBe(404);
    expect((await call(editor, 'patch', `${id}/captions/km/cues/-1`).send({ text: 'x' })).status).toBe(404);
    expect(await version(id)).toBe(2);
  });

  it('imports a Khmer SRT in UTF-8, and one in UTF-16 converted to the same text', async () => {
    const id = await newItem();
    const utf8 = await importFile(owner, id, SRT_KM, 'ទីបន្ទាល់.srt');
    expect(utf8.status).toBe(201);
    expect(utf8.body).toMatchObject({ source: 'uploaded', version: 1, cues: KM });

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SRT_KM, 'utf16le')]);
    const converted = await importFile(owner, id, utf16, 'captions.srt');
    expect(converted.status).toBe(201);
    expect(converted.body).toMatchObject({ source: 'uploaded', version: 2, cues: KM });
  });

  it('refuses malformed SRT and VTT with line numbers, saving nothing', async () => {
    const id = await newItem();
    await put(owner, id, KM);
    const srt = await importFile(owner, id, '1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04\nbroken\n', 'a.srt');
    expect(srt.status).toBe(400);
    expect(srt.body.message).toMatch(/Line 5/);
    const vtt = await importFile(owner, id, 'WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:03.000 --> 00:0x.000\nbroken\n', 'b.vtt');
    expect(vtt.status).toBe(400);
    expect(vtt.body.message).toMatch(/Line 6/);
    const noHeader = await importFile(owner, id, '00:01.000 --> 00:02.000\nok\n', 'c.vtt');
    expect(noHeader.body.message).toMatch(/Line 1.*WEBVTT/);
    expect(await version(id)).toBe(1);
  });

  it('refuses overlapping cues, a cue past the video’s end, empty captions and empty text, listing every problem', async () => {
    const id = await newItem();
    await setVideo(id, { role: AssetRole.Original, durationMs: 4000 });
    const res = await put(owner, id, [
      { startMs: 0, endMs: 2000, text: 'មួយ' },
      { startMs: 1500, endMs: 3000, text: 'ពីរ' },
      { startMs: 3200, endMs: 4500, text: 'បី' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.stringMatching(/Cue 2 .*overlaps cue 1/), expect.stringMatching(/Cue 3 .*after the video ends/)]);
    // The same problems with their kinds and figures, for the Khmer interface to word.
    expect(res.body.problems).toEqual([
      { kind: 'overlap', cue: 2, values: { startMs: 1500, otherCue: 1, otherEndMs: 2000 }, message: expect.any(String) },
      { kind: 'past-end', cue: 3, values: { startMs: 3200, endMs: 4500, durationMs: 4000 }, message: expect.any(String) },
    ]);
    expect((await put(owner, id, [])).body.message).toMatch(/no cues/);
    expect((await put(owner, id, [{ startMs: 0, endMs: 1000, text: '  <b></b> ' }])).status).toBe(400);
    expect((await call(owner, 'get', `${id}/captions/km`)).status).toBe(404);
  });

  it('saves a whole testimony of Khmer cues in one request, larger than the API\'s usual body limit', async () => {
    const id = await newItem();
    const line = 'យុវជនជាច្រើនបានធ្វើចំណាកស្រុកទៅប្រទេសថៃ';
    const cues = Array.from({ length: 3000 }, (_, i) => ({ startMs: i * 2000, endMs: i * 2000 + 1800, text: `${line} ${i}` }));
    expect(Buffer.byteLength(JSON.stringify({ cues }))).toBeGreaterThan(100 * 1024);
    const res = await put(editor, id, cues);
    expect(res.status).toBe(200);
    expect(res.body.cues).toHaveLength(3000);
  });

  it('refuses a file of 50,000 cues with one clear problem', async () => {
    const id = await newItem();
    const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);
    const blocks = Array.from({ length: 50_000 }, (_, i) => `${time(i * 1000)} --> ${time(i * 1000 + 500)}\nក`);
    const res = await importFile(owner, id, `WEBVTT\n\n${blocks.join('\n\n')}\n`, 'huge.vtt');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/more than 10,000 cues/);
    expect(res.body.details).toEqual([res.body.message]);
  });

  it('lists at most 50 problems of a file broken on every line', async () => {
    const blocks = Array.from({ length: 500 }, (_, i) => `${i + 1}\n00:00:0x,000 --> 00:00:01,000\nក`);
    const res = await importFile(owner, await newItem(), blocks.join('\n\n'), 'broken.srt');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'CAPTIONS_INVALID', figures: { count: 500, listed: 50 } });
    expect(res.body.message).toMatch(/and 450 more problems like these\.$/);
    expect(res.body.details).toHaveLength(50);
    expect(res.body.problems).toHaveLength(50);
    expect(res.body.problems[0]).toEqual({ kind: 'bad-time-range', line: 2, values: { found: '00:00:0x,000 --> 00:00:01,000' }, message: expect.stringMatching(/^Line 2: /) });
  });

  it('refuses a file over the size limit with 413', async () => {
    const res = await importFile(owner, await newItem(), Buffer.alloc(2 * 1024 * 1024 + 1, 'a'), 'big.srt');
    expect(res.status).toBe(413);
  });

  it('stores script and ASS overrides neutralised, and no export carries them', async () => {
    const id = await newItem();
    const saved = await put(editor, id, [{ startMs: 0, endMs: 2000, text: '<script>alert(1)</script>{\\pos(1,1)}ជំរាបសួរ{\\b1}' }]);
    expect(saved.status).toBe(200);
    expect(saved.body.cues[0].text).not.toMatch(/<script|\{\\/);
    for (const format of ['srt', 'vtt', 'ass']) {
      const file = await call(editor, 'get', `${id}/captions/km/export?format=${format}`).buffer(true).parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      });
      expect(file.status).toBe(200);
      expect(file.body).toContain('ជំរាបសួរ');
      expect(file.body).not.toMatch(/<script|\{\\pos|\{\\b1/);
    }
  });

  it('keeps captions to videos: a photo has none to save or import', async () => {
    const photo = (await createTestTestimony(owner, { kind: MediaKind.Photo })).id;
    const saved = await put(owner, photo, KM);
    expect(saved.body).toMatchObject({ statusCode: 409, code: 'NOT_A_VIDEO', message: expect.stringMatching(/description/) });
    expect((await importFile(editor, photo, SRT_KM, 'photo.km.srt')).body).toMatchObject({ code: 'NOT_A_VIDEO' });
    expect((await call(editor, 'get', `${photo}/captions`)).body).toEqual([]);
  });

  it('says plainly that machine transcripts need an engine this server does not have', async () => {
    const id = await newItem();
    await setVideo(id, { role: AssetRole.Publish, width: 720, height: 1280 });
    const res = await call(editor, 'post', `${id}/captions/km/transcript`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'NO_SPEECH_ENGINE', message: expect.stringMatching(/no speech-to-text engine.*Propose timings/) });
    expect((await call(editor, 'get', `${id}/captions/km/tasks`)).body).toEqual([]);
  });

  it('names exports for Facebook, lays ASS out for the publish frame, and links a WebVTT sidecar', async () => {
    const id = await newItem();
    await setVideo(id, { role: AssetRole.Publish, width: 720, height: 1280 });
    const saved = await put(owner, id, KM);
    const srt = await call(owner, 'get', `${id}/captions/km/export?format=srt`);
    expect(srt.headers['content-disposition']).toBe(`attachment; filename="${id}.km_KH.srt"`);
    const ass = await call(owner, 'get', `${id}/captions/km/export?format=ass`).buffer(true);
    expect(ass.headers['content-disposition']).toContain(`${id}.km_KH.ass`);
    expect(ass.text ?? String(ass.body)).toMatch(/PlayResX: 720/);
    expect((await call(owner, 'get', `${id}/captions/km/export?format=doc`)).status).toBe(400);

    const sidecar = await fetch(saved.body.vttUrl);
    expect(sidecar.status).toBe(200);
    const vtt = await sidecar.text();
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    expect(vtt).toContain('ខ្ញុំបានទៅធ្វើការនៅថៃ');

    // The previous version's sidecar is removed after the next save, in the background.
    await put(owner, id, KM);
    let previous = 200;
    for (let tries = 0; tries < 20 && previous === 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      previous = (await fetch(saved.body.vttUrl)).status;
    }
    expect(previous).toBe(404);
  });

  it('refuses a language we do not support, listing the ones we do', async () => {
    const res = await call(owner, 'put', `${await newItem()}/captions/fr`).send({ cues: KM });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/km, en, th/);
  });

  it("answers 404 for someone else's item, even for an import", async () => {
    const id = await newItem();
    expect((await importFile(stranger, id, SRT_KM, 'a.srt')).status).toBe(404);
    expect((await call(stranger, 'get', `${id}/captions`)).status).toBe(404);
  });

  it('lets a lead read but not write', async () => {
    const id = await newItem();
    await put(owner, id, KM);
    expect((await call(lead, 'get', `${id}/captions/km`)).status).toBe(200);
    const write = await put(lead, id, KM);
    expect(write.status).toBe(403);
    expect((await call(lead, 'post', `${id}/captions/km/versions/1/restore`)).status).toBe(403);
  });

  it('lets the educator edit their own item before approval but not after; editors still can', async () => {
    const id = await newItem();
    expect((await put(owner, id, KM)).status).toBe(200);
    await (await testDb()).getRepository(Testimony).update(id, { status: TestimonyStatus.Approved });
    const refused = await put(owner, id, KM);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/until an editor approves/);
    expect((await put(editor, id, KM)).status).toBe(200);
  });

  it('refuses an edit made on a stale version with 409', async () => {
    const id = await newItem();
    await put(owner, id, KM);
    await put(editor, id, KM, { baseVersion: 1 });
    const stale = await put(owner, id, [{ startMs: 0, endMs: 1000, text: 'ចាស់' }], { baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/Someone else changed these captions; reload/);
    expect(await version(id)).toBe(2);
  });
});

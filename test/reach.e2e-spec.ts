import { INestApplicationContext } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { InsightsSyncHandler } from '../src/modules/reach/insights/insights-sync.handler';
import { StorageService } from '../src/modules/storage/storage.service';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { LIST_THUMBNAIL_VARIANT } from '../src/modules/testimonies/dto/testimony.dto';
import { Asset, AssetRole } from '../src/modules/testimonies/asset.entity';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { FakeGraph } from './fake-graph/fake-graph.server';
import { publishedPhoto, ReachRig, startReachRig } from './support/reach-helpers';
import { as } from './support/review-helpers';
import { anyCommune, closeTestDb, createTestTestimony, signedIn, TestApp } from './support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;
const DAY = 24 * 3600_000;
/** A day in Phnom Penh, `n` days ago. */
const daysAgo = (n: number) => new Date(Date.now() + 7 * 3600_000 - n * DAY).toISOString().slice(0, 10);
/** The key the phone makes from what a person says the same way each time. */
const key = (who: string) => createHash('sha256').update(`${who}|f|1999|Prey Veng`).digest('hex');
const attendee = (who: string, sex = 'female', ageBand = '18-24') => ({ personKey: key(who), sex, ageBand });

describe('Reach: screenings and the leads’ dashboard', () => {
  let fake: FakeGraph;
  let rig: ReachRig;
  let api: TestApp;
  let worker: INestApplicationContext;
  let educator: Signed;
  let otherEducator: Signed;
  let lead: Signed;
  let secondLead: Signed;
  let editor: Signed;
  let items: Testimony[];
  let communeId: string;

  const screening = (by: Signed, body: Record<string, unknown>) =>
    as(api, by.token).post('/screenings', { heldOn: daysAgo(3), communeId, groupName: 'Women’s savings group, Kampong Leav', testimonyIds: [items[0].id], attendees: [attendee('Sokha')], ...body });
  const verified = async (by: Signed, body: Record<string, unknown>) => {
    const made = await screening(by, body);
    expect(made.status).toBe(201);
    expect((await as(api, by === lead ? secondLead.token : lead.token).post(`/screenings/${made.body.id}/verify`)).status).toBe(200);
    return made.body;
  };

  beforeAll(async () => {
    fake = await FakeGraph.start();
    const page = fake.addPage({ name: 'Migra Action' });
    const env = { ...fake.env, GRAPH_REQUEST_TIMEOUT_MS: '1500', CAMPAIGN_START_DATE: daysAgo(300) };
    rig = await startReachRig(env);
    ({ api, worker } = rig);
    const db = rig.db;
    const admin = await signedIn(api.url, 'admin', { db });
    editor = await signedIn(api.url, 'editor', { db });
    educator = await signedIn(api.url, 'educator', { displayName: 'Dara', db });
    otherEducator = await signedIn(api.url, 'educator', { db });
    lead = await signedIn(api.url, 'lead', { db });
    secondLead = await signedIn(api.url, 'lead', { db });
    communeId = (await anyCommune(undefined, db)).id;
    expect((await as(api, admin.token).put('/admin/page', { pageId: page.id, token: page.token })).status).toBe(200);
    items = [(await publishedPhoto(rig, educator, editor)).item, (await publishedPhoto(rig, educator, editor, { language: 'en' })).item];
    fake.advanceClock(30 * 3600_000);
    expect((await worker.get(InsightsSyncHandler).runOnce()).outcome).toBe('done');
  });
  afterAll(async () => {
    fake.advanceClock(-30 * 3600_000);
    await rig.close();
    await fake.close();
    await closeTestDb();
  });

  describe('recording a screening', () => {
    it('refuses each kind of bad input with its own code', async () => {
      const draft = await createTestTestimony(educator, { status: TestimonyStatus.InReview, db: rig.db });
      const tries = [
        await screening(educator, { heldOn: daysAgo(-2) }),
        await screening(educator, { heldOn: daysAgo(301) }),
        await screening(educator, { countsOnly: true, headcount: -4, attendees: undefined }),
        await screening(educator, { attendees: Array.from({ length: 2001 }, (_, i) => attendee(`p${i}`)) }),
        await screening(educator, { communeId: randomUUID() }),
        await screening(educator, { testimonyIds: [items[0].id, draft.id] }),
        await screening(educator, { attendees: [attendee('Sokha'), attendee('Sokha')] }),
        await screening(educator, { attendees: [{ personKey: 'Sokha Chan', sex: 'female', ageBand: '18-24' }] }),
      ];
      expect(tries.map((t) => [t.status, t.body.code])).toEqual([
        [400, 'SCREENING_IN_FUTURE'],
        [400, 'SCREENING_BEFORE_CAMPAIGN'],
        [400, 'ATTENDANCE_OUT_OF_RANGE'],
        [400, 'ATTENDANCE_OUT_OF_RANGE'],
        [400, 'UNKNOWN_COMMUNE'],
        [400, 'ITEM_NOT_PUBLISHED'],
        [400, 'DUPLICATE_ATTENDEE'],
        [400, 'VALIDATION_FAILED'],
      ]);
      expect(tries[5].body.figures.testimonyIds).toEqual([draft.id]);
      expect(tries[1].body.figures.campaignStart).toBe(daysAgo(300));
    });

    it('flags the same group on the same day with the same items as a duplicate, and lets no lead verify their own', async () => {
      const first = await screening(educator, { groupName: 'Youth club', heldOn: daysAgo(10) });
      const again = await screening(educator, { groupName: 'youth club', heldOn: daysAgo(10) });
      const otherItems = await screening(educator, { groupName: 'Youth club', heldOn: daysAgo(10), testimonyIds: [items[1].id] });
      expect([first.body.duplicateOf, again.body.duplicateOf, otherItems.body.duplicateOf]).toEqual([null, first.body.id, null]);

      const own = await screening(lead, { groupName: 'Market screening', heldOn: daysAgo(9) });
      expect(own.status).toBe(201);
      const selfCheck = await as(api, lead.token).post(`/screenings/${own.body.id}/verify`);
      expect([selfCheck.status, selfCheck.body.code]).toEqual([403, 'OWN_SCREENING']);
      expect((await as(api, educator.token).post(`/screenings/${first.body.id}/verify`)).status).toBe(403);
      const byOther = await as(api, secondLead.token).post(`/screenings/${own.body.id}/verify`);
      expect(byOther.status).toBe(200);
      expect(byOther.body.verifiedBy).toBe(secondLead.id);
    });

    it('shows educators only the screenings they recorded', async () => {
      const mine = await as(api, otherEducator.token).get('/screenings');
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual([]);
      expect((await as(api, lead.token).get('/screenings?unverified=true')).body.length).toBeGreaterThanOrEqual(3);
    });
  });

  describe('the dashboard', () => {
    let before: { uniquePeople: number; attendances: number; openScreeningHeadcount: number };

    beforeAll(async () => {
      before = (await as(api, lead.token).get('/reach/progress')).body.offline;
      await verified(educator, { groupName: 'Group A', heldOn: daysAgo(40), attendees: [attendee('Ra'), attendee('Vy', 'male', '15-17'), attendee('Nak', 'male', '25-34')] });
      await verified(educator, { groupName: 'Group B', heldOn: daysAgo(5), testimonyIds: [items[0].id, items[1].id], attendees: [attendee('Ra'), attendee('Vy', 'male', '15-17'), attendee('Srey')] });
      await verified(educator, { groupName: 'Group A', heldOn: daysAgo(2), attendees: [attendee('Ra')] });
      await verified(lead, { groupName: 'Open screening at the pagoda', heldOn: daysAgo(4), countsOnly: true, headcount: 150, attendees: undefined });
      // Not verified: not counted.
      await screening(educator, { groupName: 'Group C', heldOn: daysAgo(1), attendees: [attendee('Mealea')] });
    });

    it('counts a person who came three times once, shows repeats apart, and keeps headcount-only screenings out of unique people', async () => {
      const res = await as(api, lead.token).get('/reach/progress');

      expect(res.status).toBe(200);
      expect(res.body.target).toBe(80000);
      expect(res.body.offline).toMatchObject({
        uniquePeople: before.uniquePeople + 4,
        attendances: before.attendances + 7,
        openScreeningHeadcount: before.openScreeningHeadcount + 150,
      });
      expect(res.body.offline.repeatAttendances).toBe(res.body.offline.attendances - res.body.offline.uniquePeople);
      expect(res.body.offline.awaitingVerification.people).toBeGreaterThanOrEqual(1);
      expect(res.body.offline.method).toMatch(/counted once/);
    });

    it('puts the online estimate beside it in accounts: the largest single figure Meta gave, never a sum', async () => {
      const db = rig.db;
      const [largest] = await db.query(
        `SELECT max(value_number)::float AS n, sum(value_number) FILTER (WHERE subject = 'post')::float AS post_sum FROM insight_latest WHERE metric IN ('post_total_media_view_unique', 'page_total_media_view_unique') AND period IN ('lifetime', 'days_28')`,
      );

      const { online } = (await as(api, lead.token).get('/reach/progress')).body;

      expect(online).toMatchObject({ unit: 'accounts', estimateAccounts: largest.n, madeFrom: expect.stringMatching(/page_28_days|single_post/) });
      expect(online.estimateAccounts).toBeLessThan(largest.post_sum);
      expect(online.method).toMatch(/never added/);
    });

    it('breaks reach down by item, language, kind, commune, province, educator and month, each with its own unique count', async () => {
      const by = async (dimension: string) => (await as(api, lead.token).get(`/reach/breakdown?by=${dimension}`)).body;

      const perItem = await by('item');
      const first = perItem.find((r: { key: string }) => r.key === items[0].id);
      const second = perItem.find((r: { key: string }) => r.key === items[1].id);
      expect(first).toMatchObject({ label: items[0].title, posts: 1 });
      expect(first.offlineUniquePeople).toBeGreaterThanOrEqual(4);
      expect(first.onlineViews).toBeGreaterThan(0);
      expect(second).toMatchObject({ offlineUniquePeople: 3, posts: 1 });
      expect((await by('language')).map((r: { key: string }) => r.key).sort()).toEqual(expect.arrayContaining(['en', 'km']));
      expect((await by('kind'))[0].key).toBe('photo');
      const commune = (await by('commune')).find((r: { key: string }) => r.key === communeId);
      expect(commune.label).toMatch(/ \/ /);
      expect((await by('province')).length).toBeGreaterThan(0);
      expect((await by('educator')).some((r: { label: string }) => r.label === 'Dara')).toBe(true);
      const months = await (await as(api, lead.token).get('/reach/breakdown?by=period&granularity=month')).body;
      expect(months.map((r: { key: string }) => r.key)).toEqual([...months.map((r: { key: string }) => r.key)].sort());
      expect((await as(api, lead.token).get('/reach/breakdown?by=color')).status).toBe(400);
    });

    it('gives unique people by sex and age band', async () => {
      const cells: { sex: string; ageBand: string; uniquePeople: number }[] = (await as(api, lead.token).get('/reach/offline-profile')).body;
      expect(cells.find((c) => c.sex === 'male' && c.ageBand === '15-17')?.uniquePeople).toBe(1);
      expect(cells.find((c) => c.sex === 'female' && c.ageBand === '18-24')!.uniquePeople).toBeGreaterThanOrEqual(2);
    });

    it('keeps a withdrawn item’s reach in the totals, but hides its title and media', async () => {
      const db = rig.db;
      await db.getRepository(Asset).save({ testimonyId: items[1].id, role: AssetRole.Thumbnail, variant: LIST_THUMBNAIL_VARIANT, storageKey: storageKeys.asset(items[1].id, randomUUID(), 'webp'), mimeType: 'image/webp', byteSize: 10 });
      await api.app.get(StorageService).put((await db.getRepository(Asset).findOneByOrFail({ testimonyId: items[1].id, role: AssetRole.Thumbnail })).storageKey, Buffer.from('webp'), { contentType: 'image/webp' });
      const shown = (await as(api, lead.token).get('/reach/testimonies')).body.find((t: { testimonyId: string }) => t.testimonyId === items[1].id);
      expect(shown).toMatchObject({ title: items[1].title, withdrawn: false, thumbnailUrl: expect.stringContaining('http') });
      const totals = (await as(api, lead.token).get('/reach/progress')).body;

      await db.getRepository(Testimony).update(items[1].id, { status: TestimonyStatus.Withdrawn });

      const hidden = (await as(api, lead.token).get('/reach/testimonies')).body.find((t: { testimonyId: string }) => t.testimonyId === items[1].id);
      expect(hidden).toMatchObject({ withdrawn: true, title: null, thumbnailUrl: null, placeholder: null, screenings: shown.screenings, offlineUniquePeople: shown.offlineUniquePeople, onlineViews: shown.onlineViews });
      expect((await as(api, lead.token).get('/reach/progress')).body.offline).toEqual(totals.offline);
      const row = (await as(api, lead.token).get('/reach/breakdown?by=item')).body.find((r: { key: string }) => r.key === items[1].id);
      expect(row.label).toBeNull();
      await db.getRepository(Testimony).update(items[1].id, { status: TestimonyStatus.Approved });
    });

    it('shows educators the reach of their own testimonies only, and no dashboard', async () => {
      const own = (await as(api, educator.token).get('/reach/testimonies')).body.map((t: { testimonyId: string }) => t.testimonyId);
      expect(own).toEqual(expect.arrayContaining(items.map((i) => i.id)));
      expect((await as(api, otherEducator.token).get('/reach/testimonies')).body).toEqual([]);
      expect((await as(api, otherEducator.token).get('/reach/progress')).status).toBe(403);
      expect((await as(api, otherEducator.token).get('/reach/export/screenings')).status).toBe(403);
    });
  });

  describe('CSV exports', () => {
    it('streams a huge range of snapshots in batches, every row once', async () => {
      const db = rig.db;
      await db.query(
        `INSERT INTO insight_snapshots (page_ref, object_id, subject, metric, period, end_time, value, value_number, read_at, api_version)
         SELECT (SELECT id FROM facebook_pages WHERE disconnected_at IS NULL), 'bulk', 'page', 'page_media_view', 'day', now() - g * interval '1 hour', to_jsonb(g), g, now(), 'v25.0'
           FROM generate_series(1, 12000) g`,
      );
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM insight_snapshots`);

      const res = await request(api.url).get('/api/reach/export/snapshots?from=2000-01-01&to=2099-12-31').set('Authorization', `Bearer ${lead.token}`).buffer(true).parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => done(null, text));
      });

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      const lines = (res.body as string).trim().split('\r\n');
      expect(lines[0].replace(/^\ufeff/, '')).toBe('id,object_id,subject,publication_id,metric,period,end_time,value,read_at,api_version');
      expect(lines).toHaveLength(n + 1);
      expect(new Set(lines.map((l) => l.split(',')[0])).size).toBe(n + 1);
    });

    it('exports the breakdown, testimonies, screenings and sex-and-age tables', async () => {
      for (const [table, header] of [
        ['breakdown?by=commune', /^\ufeffkey,label,screenings,offlineUniquePeople/],
        ['testimonies', /^\ufefftestimonyId,withdrawn,title/],
        ['screenings', /^\ufeffid,held_on,commune/],
        ['offline-profile', /^\ufeffsex,ageBand,uniquePeople/],
      ] as const) {
        const res = await as(api, lead.token).get(`/reach/export/${table}`).buffer(true);
        expect({ table, status: res.status }).toEqual({ table, status: 200 });
        expect(res.text).toMatch(header);
      }
    });
  });
});

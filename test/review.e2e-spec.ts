import { Decision } from '../src/modules/review/decision.entity';
import { TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { testimonyRow } from './support/processing-fixtures';
import { addRendition, as, consentBody } from './support/review-helpers';
import { anyCommune, closeTestDb, createTestTestimony, signedIn, startTestApp, TestApp, testDb } from './support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('Review: the editorial gate', () => {
  let api: TestApp;
  let educator: Signed;
  let otherEducator: Signed;
  let editor: Signed;
  let secondEditor: Signed;
  let lead: Signed;
  let admin: Signed;

  beforeAll(async () => {
    api = await startTestApp();
    educator = await signedIn(api.url, 'educator');
    otherEducator = await signedIn(api.url, 'educator', { communeId: (await anyCommune('220101')).id });
    editor = await signedIn(api.url, 'editor');
    secondEditor = await signedIn(api.url, 'editor');
    lead = await signedIn(api.url, 'lead');
    admin = await signedIn(api.url, 'admin', { communeId: (await anyCommune()).id });
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  const inReview = () => createTestTestimony(educator, { status: TestimonyStatus.InReview });
  const withConsent = async (overrides: Record<string, unknown> = {}) => {
    const item = await inReview();
    const res = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody(overrides));
    expect(res.status).toBe(201);
    return { item, consent: res.body as { id: string } };
  };
  const decisionsOf = async (id: string) => (await testDb()).getRepository(Decision).findBy({ testimonyId: id });

  describe('the consent gate', () => {
    it('refuses to approve an item with no consent recorded, and changes nothing', async () => {
      const item = await inReview();
      const res = await as(api, editor.token).post(`/testimonies/${item.id}/approve`);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONSENT_MISSING');
      expect(res.body.problems).toEqual([expect.objectContaining({ kind: 'no_consent' })]);
      expect((await testimonyRow(item.id))?.status).toBe('in_review');
      expect(await decisionsOf(item.id)).toEqual([]);
    });

    it('refuses an expired consent, and one that does not cover the Page, naming each person', async () => {
      const { item } = await withConsent({ personLabel: 'K.M.', givenOn: '2020-01-10', validUntil: '2024-01-10' });
      await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody({ personLabel: 'R.T.', channels: ['community_screenings'] }));
      const res = await as(api, editor.token).post(`/testimonies/${item.id}/approve`);
      expect(res.status).toBe(409);
      expect(res.body.problems.map((p: { kind: string; values: { person: string } }) => [p.kind, p.values.person])).toEqual([
        ['expired', 'K.M.'],
        ['channel_not_agreed', 'R.T.'],
      ]);
      const consents = await as(api, editor.token).get(`/testimonies/${item.id}/consents`);
      expect(consents.body.map((c: { state: string }) => c.state)).toEqual(['expired', 'active']);
    });

    it('asks the editor to confirm a blurred face before approving, then pins what was approved', async () => {
      const { item, consent } = await withConsent({ identifiability: 'face_blurred' });
      const rendition = await addRendition(api, item.id);
      const unconfirmed = await as(api, editor.token).post(`/testimonies/${item.id}/approve`);
      expect(unconfirmed.status).toBe(409);
      expect(unconfirmed.body.code).toBe('DISGUISE_NOT_CONFIRMED');
      expect(unconfirmed.body.figures.consentIds).toEqual([consent.id]);

      const approved = await as(api, editor.token).post(`/testimonies/${item.id}/approve`, { confirmDisguise: [consent.id], expectedStatus: 'in_review' });
      expect(approved.status).toBe(201);
      expect((await testimonyRow(item.id))?.status).toBe('approved');
      const [decision] = await decisionsOf(item.id);
      expect(decision.disguiseConfirmed).toEqual([consent.id]);
      expect(decision.pinned?.renditions).toEqual([expect.objectContaining({ assetId: rendition.id, storageKey: rendition.storageKey })]);
    });

    it('keeps a child from being fully identifiable, and asks for the guardian and the child’s assent', async () => {
      const item = await inReview();
      const fully = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody({ isMinor: true, identifiability: 'fully', guardianName: 'Mother', guardianRelationship: 'mother', childAssent: true }));
      expect(fully.status).toBe(400);
      expect(fully.body.code).toBe('MINOR_FULLY_IDENTIFIABLE');
      const noGuardian = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody({ isMinor: true, identifiability: 'face_blurred' }));
      expect(noGuardian.status).toBe(400);
      expect(noGuardian.body.code).toBe('GUARDIAN_REQUIRED');
      expect((await as(api, editor.token).get(`/testimonies/${item.id}/consents`)).body).toEqual([]);
    });

    it('refuses consent meant to last longer than the configured maximum', async () => {
      const item = await inReview();
      const res = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody({ givenOn: '2026-01-01', validUntil: '2036-01-01' }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'CONSENT_TOO_LONG', figures: { maxMonths: 60 } });
    });

    it('sends an approved item back to review when its consent changes', async () => {
      const { item, consent } = await withConsent();
      expect((await as(api, editor.token).post(`/testimonies/${item.id}/approve`)).status).toBe(201);
      const changed = await as(api, editor.token).put(`/testimonies/${item.id}/consents/${consent.id}`, consentBody({ restrictions: 'Not in Poipet' }));
      expect(changed.status).toBe(200);
      expect((await testimonyRow(item.id))?.status).toBe('in_review');
    });
  });

  describe('decisions', () => {
    it('lets neither an educator nor a lead decide', async () => {
      const { item } = await withConsent();
      for (const who of [educator, lead]) {
        const res = await as(api, who.token).post(`/testimonies/${item.id}/approve`);
        expect(res.status).toBe(403);
      }
      expect((await testimonyRow(item.id))?.status).toBe('in_review');
    });

    it('never lets anyone approve their own upload, even an admin', async () => {
      const own = await createTestTestimony({ ...admin, communeId: admin.communeId }, { status: TestimonyStatus.InReview });
      await as(api, admin.token).post(`/testimonies/${own.id}/consents`, consentBody());
      const res = await as(api, admin.token).post(`/testimonies/${own.id}/approve`);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('OWN_UPLOAD');
      expect((await as(api, editor.token).post(`/testimonies/${own.id}/approve`)).status).toBe(201);
    });

    it('needs a note to ask for changes, and shows it to the educator, who can send the item back', async () => {
      const item = await inReview();
      const bare = await as(api, editor.token).post(`/testimonies/${item.id}/request-changes`, { note: '   ' });
      expect(bare.status).toBe(400);
      expect(bare.body.code).toBe('NOTE_REQUIRED');

      const note = 'សូមកែចំណងជើងរង នៅនាទីទី ១';
      expect((await as(api, editor.token).post(`/testimonies/${item.id}/request-changes`, { note })).status).toBe(201);
      const mine = await as(api, educator.token).get('/testimonies?status=changes_requested&pageSize=100');
      const seen = mine.body.items.find((i: { id: string }) => i.id === item.id);
      expect(seen.latestDecision).toMatchObject({ kind: 'changes_requested', note });

      expect((await as(api, otherEducator.token).post(`/testimonies/${item.id}/resubmit`)).status).toBe(404);
      expect((await as(api, educator.token).post(`/testimonies/${item.id}/resubmit`)).status).toBe(204);
      expect((await testimonyRow(item.id))?.status).toBe('in_review');
    });

    it('rejects with a reason the educator reads, after which the item cannot be approved', async () => {
      const { item } = await withConsent();
      expect((await as(api, editor.token).post(`/testimonies/${item.id}/reject`)).body.code).toBe('NOTE_REQUIRED');
      expect((await as(api, editor.token).post(`/testimonies/${item.id}/reject`, { note: 'The face of a child is visible.' })).status).toBe(201);
      const detail = await as(api, educator.token).get(`/testimonies/${item.id}`);
      expect(detail.body).toMatchObject({ status: 'rejected', latestDecision: { kind: 'rejected', note: 'The face of a child is visible.' } });
      const late = await as(api, editor.token).post(`/testimonies/${item.id}/approve`);
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ code: 'NOT_ALLOWED_IN_STATE', figures: { status: 'rejected' } });
    });

    it('lets one of two editors deciding at once win; the other hears the new state', async () => {
      const { item } = await withConsent();
      const [a, b] = await Promise.all([
        as(api, editor.token).post(`/testimonies/${item.id}/approve`, { expectedStatus: 'in_review' }),
        as(api, secondEditor.token).post(`/testimonies/${item.id}/reject`, { note: 'Too dark to see.', expectedStatus: 'in_review' }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([201, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body.code).toBe('STATE_CHANGED');
      expect(['approved', 'rejected']).toContain(loser.body.figures.status);
      expect(await decisionsOf(item.id)).toHaveLength(1);
    });

    it('shows counts per state and the oldest first for the review queue', async () => {
      const older = await inReview();
      const newer = await inReview();
      await (await testDb()).query(`UPDATE testimonies SET updated_at = now() - interval '3 days' WHERE id = $1`, [older.id]);
      const queue = await as(api, editor.token).get(`/testimonies?status=in_review&sort=oldest&educatorId=${educator.id}&pageSize=100`);
      const ids = queue.body.items.map((i: { id: string }) => i.id);
      expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
      const counts = await as(api, editor.token).get(`/testimonies/counts?educatorId=${educator.id}`);
      expect(counts.body.counts.in_review).toBeGreaterThanOrEqual(2);
      expect(Object.values(counts.body.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
        (await as(api, editor.token).get(`/testimonies?educatorId=${educator.id}`)).body.total,
      );
    });
  });

  describe('comments and history', () => {
    it('keeps a thread between editors and the educator, with timecodes on video only', async () => {
      const item = await inReview();
      const editorSays = await as(api, editor.token).post(`/testimonies/${item.id}/comments`, { body: 'Blur the plate at this moment\u202E', timecodeMs: 12_500 });
      expect(editorSays.status).toBe(201);
      expect(editorSays.body.body).toBe('Blur the plate at this moment');
      expect((await as(api, educator.token).post(`/testimonies/${item.id}/comments`, { body: 'បាទ ខ្ញុំនឹងកែ' })).status).toBe(201);
      expect((await as(api, otherEducator.token).post(`/testimonies/${item.id}/comments`, { body: 'hello' })).status).toBe(404);
      const thread = await as(api, educator.token).get(`/testimonies/${item.id}/comments`);
      expect(thread.body.map((c: { timecodeMs: number | null; mine: boolean }) => [c.timecodeMs, c.mine])).toEqual([
        [12_500, false],
        [null, true],
      ]);
      const photo = await createTestTestimony(educator, { status: TestimonyStatus.InReview, kind: 'photo' as never });
      const onPhoto = await as(api, editor.token).post(`/testimonies/${photo.id}/comments`, { body: 'Here', timecodeMs: 1000 });
      expect(onPhoto.status).toBe(400);
    });

    it('records who did what in the item’s history, in order', async () => {
      const { item } = await withConsent();
      await as(api, editor.token).post(`/testimonies/${item.id}/request-changes`, { note: 'Shorter title please.' });
      await as(api, educator.token).post(`/testimonies/${item.id}/resubmit`);
      await as(api, editor.token).post(`/testimonies/${item.id}/approve`);
      const history = await as(api, educator.token).get(`/testimonies/${item.id}/history`);
      expect(history.body.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
        ['consent.recorded', educator.username],
        ['testimony.changes_requested', editor.username],
        ['testimony.resubmitted', educator.username],
        ['testimony.approved', editor.username],
      ]);
    });
  });
});

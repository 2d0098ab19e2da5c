import { createHash, randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { CaptionTrackVersion } from '../../src/modules/captions/caption-track-version.entity';
import { CaptionTrack } from '../../src/modules/captions/caption-track.entity';
import { Publication } from '../../src/modules/publishing/publication.entity';
import { StorageService } from '../../src/modules/storage/storage.service';
import { storageKeys } from '../../src/modules/storage/storage-keys';
import { Asset, AssetRole } from '../../src/modules/testimonies/asset.entity';
import { MediaKind, TestimonyStatus } from '../../src/modules/testimonies/testimony-status';
import { waitFor } from './faults';
import { as, consentBody } from './review-helpers';
import { createTestTestimony, signedIn, TestApp, testDb } from './test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

/** The fake Page sends video chunks of this size. */
export const VIDEO_CHUNK = 64 * 1024;

/**
 * An approved item with a consent and a stored publish rendition: a real JPEG, or bytes standing for an
 * MP4 (Facebook's processing is the fake's). With `captions`, a Khmer caption track the approval pins.
 */
export async function approvedItem(api: TestApp, people: { educator: Signed; editor: Signed }, kind: MediaKind, options: { captions?: boolean } = {}) {
  const item = await createTestTestimony(people.educator, { status: TestimonyStatus.InReview, kind });
  await as(api, people.educator.token).post(`/testimonies/${item.id}/consents`, consentBody());
  const bytes =
    kind === MediaKind.Photo ? await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c05030' } }).jpeg().toBuffer() : randomBytes(5 * VIDEO_CHUNK + 1234);
  const id = randomUUID();
  const storageKey = storageKeys.asset(item.id, id, kind === MediaKind.Photo ? 'jpg' : 'mp4');
  await api.app.get(StorageService).put(storageKey, bytes, { contentType: kind === MediaKind.Photo ? 'image/jpeg' : 'video/mp4' });
  const db = await testDb();
  await db.getRepository(Asset).save({ id, testimonyId: item.id, role: AssetRole.Publish, variant: kind === MediaKind.Photo ? 'jpeg' : '', storageKey, mimeType: 'x/y', byteSize: bytes.length });
  if (options.captions) {
    const cues = [{ startMs: 0, endMs: 1500, text: 'ខ្ញុំបានធ្វើការនៅថៃ' }];
    const track = await db.getRepository(CaptionTrack).save({ testimonyId: item.id, language: 'km', source: 'edited', version: 1, cues });
    await db.getRepository(CaptionTrackVersion).save({ trackId: track.id, version: 1, cues, source: 'edited' });
  }
  const approved = await as(api, people.editor.token).post(`/testimonies/${item.id}/approve`);
  if (approved.status !== 201) throw new Error(`approval failed: ${JSON.stringify(approved.body)}`);
  return { item, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function publicationRow(id: string): Promise<Publication> {
  return (await testDb()).getRepository(Publication).findOneByOrFail({ id });
}

export function publicationSettled(id: string, states: string[], timeoutMs = 20_000): Promise<Publication> {
  return waitFor(`publication ${id} to be ${states.join(' or ')}`, async () => {
    const p = await publicationRow(id);
    return states.includes(p.state) ? p : null;
  }, timeoutMs);
}

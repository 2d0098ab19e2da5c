import { useState, type FormEvent } from 'react';
import { api, type Province } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { CommuneSelect } from '../components/CommuneSelect';
import { Loading } from '../components/Feedback';
import { useI18n, type MessageKey } from '../i18n';
import { useUser } from '../session';
import { useAsync } from '../useAsync';
import { AGE_BANDS, SEXES } from './reach-api';

interface Attendee {
  name: string;
  sex: (typeof SEXES)[number];
  birthYear: string;
  village: string;
  ageBand: (typeof AGE_BANDS)[number];
}

const blank = (): Attendee => ({ name: '', sex: 'female', birthYear: '', village: '', ageBand: '18-24' });

/**
 * The pseudonymous key: SHA-256 of what a person says the same way each time, made on this phone.
 * The name never leaves it; the same person at another session gets the same key.
 */
export async function personKey(a: Pick<Attendee, 'name' | 'sex' | 'birthYear' | 'village'>): Promise<string> {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  const bytes = new TextEncoder().encode([norm(a.name), a.sex, a.birthYear.trim(), norm(a.village)].join('|'));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** An educator records a screening: the day, place, group, the items shown, and who came. */
export default function ScreeningPage() {
  const { t } = useI18n();
  const user = useUser();
  const places = useAsync(async (signal) => unwrap(await api.GET('/api/places/provinces', { signal })) as Province[], []);
  const items = useAsync(async (signal) => unwrap(await api.GET('/api/reach/testimonies', { params: { query: { limit: 200 } }, signal })), []);
  const [heldOn, setHeldOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [communeId, setCommuneId] = useState(user.commune?.id ?? '');
  const [groupName, setGroupName] = useState('');
  const [shown, setShown] = useState<string[]>([]);
  const [countsOnly, setCountsOnly] = useState(false);
  const [headcount, setHeadcount] = useState('');
  const [people, setPeople] = useState<Attendee[]>([blank()]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (i: number, patch: Partial<Attendee>) => setPeople((list) => list.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const attendees = countsOnly ? undefined : await Promise.all(people.filter((p) => p.name.trim()).map(async (p) => ({ personKey: await personKey(p), sex: p.sex, ageBand: p.ageBand })));
      const saved = unwrap(
        await api.POST('/api/screenings', { body: { heldOn, communeId, groupName, testimonyIds: shown, countsOnly, headcount: countsOnly ? Number(headcount) : undefined, attendees } }),
      );
      setMessage({ ok: true, text: saved.duplicateOf ? t('screeningSavedDuplicate') : t('screeningSaved') });
      setPeople([blank()]);
    } catch (error) {
      setMessage({ ok: false, text: errorText(error, t) });
    } finally {
      setBusy(false);
    }
  };

  if (!places.data || !items.data) return <Loading />;
  return (
    <section>
      <h1 tabIndex={-1}>{t('screeningTitle')}</h1>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="held-on">{t('screeningDate')}</label>
        <input id="held-on" type="date" value={heldOn} onChange={(e) => setHeldOn(e.target.value)} required />
        <label htmlFor="commune">{t('screeningCommune')}</label>
        <CommuneSelect id="commune" value={communeId} onChange={setCommuneId} provinces={places.data} required />
        <label htmlFor="group">{t('screeningGroup')}</label>
        <input id="group" value={groupName} onChange={(e) => setGroupName(e.target.value)} required maxLength={200} />
        <fieldset>
          <legend>{t('screeningShown')}</legend>
          {items.data.filter((i) => !i.withdrawn).map((i) => (
            <label key={i.testimonyId} className="check">
              <input type="checkbox" checked={shown.includes(i.testimonyId)} onChange={(e) => setShown((s) => (e.target.checked ? [...s, i.testimonyId] : s.filter((x) => x !== i.testimonyId)))} />
              {i.title}
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={countsOnly} onChange={(e) => setCountsOnly(e.target.checked)} /> {t('screeningCountsOnly')}
        </label>
        {countsOnly ? (
          <>
            <label htmlFor="headcount">{t('screeningHeadcount')}</label>
            <input id="headcount" type="number" inputMode="numeric" min={0} value={headcount} onChange={(e) => setHeadcount(e.target.value)} required />
          </>
        ) : (
          <fieldset>
            <legend>{t('screeningRegister')}</legend>
            <p className="hint">{t('screeningPrivacy')}</p>
            {people.map((p, i) => (
              <div key={i} className="screening-person">
                <input aria-label={t('screeningName')} placeholder={t('screeningName')} value={p.name} onChange={(e) => change(i, { name: e.target.value })} autoComplete="off" />
                <select aria-label={t('screeningSex')} value={p.sex} onChange={(e) => change(i, { sex: e.target.value as Attendee['sex'] })}>
                  {SEXES.map((s) => (
                    <option key={s} value={s}>
                      {t(`reachSex_${s}` as MessageKey)}
                    </option>
                  ))}
                </select>
                <input aria-label={t('screeningBirthYear')} placeholder={t('screeningBirthYear')} inputMode="numeric" value={p.birthYear} onChange={(e) => change(i, { birthYear: e.target.value })} />
                <input aria-label={t('screeningVillage')} placeholder={t('screeningVillage')} value={p.village} onChange={(e) => change(i, { village: e.target.value })} />
                <select aria-label={t('reachAge')} value={p.ageBand} onChange={(e) => change(i, { ageBand: e.target.value as Attendee['ageBand'] })}>
                  {AGE_BANDS.map((b) => (
                    <option key={b}>{b}</option>
                  ))}
                </select>
              </div>
            ))}
            <button type="button" className="btn btn-secondary" onClick={() => setPeople((l) => [...l, blank()])}>
              {t('screeningAddPerson')}
            </button>
          </fieldset>
        )}
        {message && <p className={`notice ${message.ok ? 'notice-ok' : 'notice-error'}`}>{message.text}</p>}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('screeningSave')}
        </button>
      </form>
    </section>
  );
}

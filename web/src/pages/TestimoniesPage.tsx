import { useEffect, useId, useState } from 'react';
import { api, paging, type Province, type TestimonyListPage, type TestimonySummary } from '../api/client';
import { unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { Thumb } from '../components/Media';
import { Pager } from '../components/Pager';
import { canDelete, DeleteButton, LIVE_STATUSES, StatusDetails } from '../components/TestimonyParts';
import { districtName, formatDate, languageName, placeName, statusLabel, useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useUser } from '../session';
import { useAsync } from '../useAsync';

const PAGE_SIZE = 20;
/** While something is being uploaded or processed, look again this often. */
const POLL_MS = 3000;

const STATUSES = ['uploading', 'processing', 'processing_failed', 'in_review', 'changes_requested', 'approved', 'scheduled', 'published', 'withdrawn'];
const FILTER_KEYS = ['status', 'kind', 'provinceId', 'communeId', 'language', 'from', 'to'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

export function pageFromQuery(query: URLSearchParams): number {
  const n = Number(query.get('page'));
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * Re-runs `reload` every few seconds while `live` is true and the page is
 * visible; stops by itself when nothing is changing any more.
 */
export function usePolling(live: boolean, loading: boolean, reload: () => void, everyMs = POLL_MS): void {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  useEffect(() => {
    if (!live || loading || !visible) return;
    const timer = setTimeout(reload, everyMs);
    return () => clearTimeout(timer);
  }, [live, loading, visible, reload, everyMs]);
}

export function TestimoniesPage() {
  const { t, lang } = useI18n();
  const user = useUser();
  const { path, query } = useLocation();
  const page = pageFromQuery(query);
  const isEducator = user.role === 'educator';
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) ?? ''])) as Record<FilterKey, string>;
  const filterKey = FILTER_KEYS.map((k) => filters[k]).join('|');
  const [notice, setNotice] = useState<string | null>(null);

  const { data, error, loading, reload } = useAsync(async (signal) => {
    const q: Record<string, string | number> = { ...paging(page, PAGE_SIZE) };
    if (!isEducator) for (const k of FILTER_KEYS) if (filters[k]) q[k] = filters[k];
    // Filters beyond status/kind/commune are new in the API: passed untyped.
    const result = await api.GET('/api/testimonies', { params: { query: q as never }, signal });
    return unwrap(result) as TestimonyListPage;
  }, [page, filterKey, isEducator]);

  const live = !!data?.items.some((i) => LIVE_STATUSES.includes(i.status));
  usePolling(live, loading, reload);

  const setFilter = (changes: Partial<Record<FilterKey, string>>) => {
    const next = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const v = k in changes ? changes[k] : filters[k];
      if (v) next.set(k, v);
    }
    const qs = next.toString();
    navigate(qs ? `${path}?${qs}` : path, { replace: true });
  };
  const toPage = (p: number) => {
    const next = new URLSearchParams(query);
    if (p > 1) next.set('page', String(p));
    else next.delete('page');
    const qs = next.toString();
    navigate(qs ? `${path}?${qs}` : path);
  };
  const filtered = !isEducator && FILTER_KEYS.some((k) => filters[k]);

  return (
    <section aria-busy={loading && !data}>
      <div className="page-head">
        <h1 tabIndex={-1}>{isEducator ? t('myTestimoniesTitle') : t('testimoniesTitle')}</h1>
        {isEducator && (
          <Link to="/upload" className="btn btn-primary" data-testid="upload-new">
            {t('uploadNew')}
          </Link>
        )}
      </div>
      {!isEducator && <Filters filters={filters} onChange={setFilter} />}
      <div aria-live="polite">{notice && <p className="notice notice-ok">{notice}</p>}</div>
      {loading && !data && <Loading />}
      {error !== undefined && <LoadError error={error} onRetry={reload} />}
      {data && data.items.length === 0 && (
        <p className="empty" data-testid="testimonies-empty">
          {filtered ? t('noMatches') : t('noTestimonies')}
        </p>
      )}
      {data && data.items.length > 0 && (
        <>
          <ul className="item-list" data-testid="testimony-list">
            {data.items.map((item) => (
              <ItemCard
                key={item.id}
                item={item}
                showPeople={!isEducator}
                deletable={canDelete(user, item)}
                onDeleted={() => {
                  setNotice(t('testimonyDeleted', { title: item.title }));
                  reload();
                }}
                lang={lang}
              />
            ))}
          </ul>
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={toPage} />
        </>
      )}
    </section>
  );
}

function ItemCard({
  item,
  showPeople,
  deletable,
  onDeleted,
  lang,
}: {
  item: TestimonySummary;
  showPeople: boolean;
  deletable: boolean;
  onDeleted(): void;
  lang: 'km' | 'en';
}) {
  const { t } = useI18n();
  const href = `/testimonies/${encodeURIComponent(item.id)}`;
  return (
    <li className="item-card" data-testid="testimony-item" data-id={item.id} data-status={item.status}>
      <Link to={href} className="item-thumb" tabIndex={-1} aria-hidden="true">
        <Thumb src={item.thumbnailUrl} placeholder={item.placeholder} kind={item.kind} />
      </Link>
      <div className="item-body">
        <h2 className="item-title" lang={item.language}>
          <Link to={href}>{item.title}</Link>
        </h2>
        <p className="item-meta">
          {item.kind === 'video' ? t('kindVideo') : t('kindPhoto')} · {languageName(item.language, t)} ·{' '}
          <time dateTime={item.createdAt}>{formatDate(item.createdAt, lang)}</time>
        </p>
        {showPeople && (
          <p className="item-meta">
            {placeName(item.commune, lang)}
            {item.commune?.province && `, ${placeName(item.commune.province, lang)}`}
            {item.educator?.displayName && ` · ${item.educator.displayName}`}
          </p>
        )}
      </div>
      {/* Full width under the thumbnail: failure texts need the room on a phone. */}
      <div className="item-foot">
        <StatusDetails item={item} showHint={!showPeople} />
        {deletable && (
          <div className="button-row item-actions">
            <DeleteButton id={item.id} title={item.title} onDeleted={onDeleted} />
          </div>
        )}
      </div>
    </li>
  );
}

function Filters({ filters, onChange }: { filters: Record<FilterKey, string>; onChange(changes: Partial<Record<FilterKey, string>>): void }) {
  const { t, lang } = useI18n();
  const ids = useId();
  const id = (n: string) => `${ids}-${n}`;
  const { data: provinces } = useAsync<Province[]>(async (signal) => unwrap(await api.GET('/api/places/provinces', { signal })), []);
  const sortedProvinces = [...(provinces ?? [])].sort((a, b) => placeName(a, lang).localeCompare(placeName(b, lang), lang));
  const province = provinces?.find((p) => p.id === filters.provinceId);
  const communes = [...(province?.communes ?? [])].sort(
    (a, b) => districtName(a, lang).localeCompare(districtName(b, lang), lang) || placeName(a, lang).localeCompare(placeName(b, lang), lang),
  );
  const any = FILTER_KEYS.some((k) => filters[k]);

  return (
    <form className="card filters testimony-filters" data-testid="testimony-filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filtersTitle')}>
      <div className="field">
        <label htmlFor={id('status')}>{t('filterStatus')}</label>
        <select id={id('status')} value={filters.status} onChange={(e) => onChange({ status: e.target.value })} data-testid="filter-status">
          <option value="">{t('anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s, t)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={id('kind')}>{t('colKind')}</label>
        <select id={id('kind')} value={filters.kind} onChange={(e) => onChange({ kind: e.target.value })} data-testid="filter-kind">
          <option value="">{t('anyKind')}</option>
          <option value="video">{t('kindVideo')}</option>
          <option value="photo">{t('kindPhoto')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={id('province')}>{t('province')}</label>
        <select
          id={id('province')}
          value={filters.provinceId}
          onChange={(e) => onChange({ provinceId: e.target.value, communeId: '' })}
          data-testid="filter-province"
        >
          <option value="">{t('anyProvince')}</option>
          {sortedProvinces.map((p) => (
            <option key={p.id} value={p.id}>
              {placeName(p, lang)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={id('commune')}>{t('commune')}</label>
        <select
          id={id('commune')}
          value={filters.communeId}
          disabled={!province}
          onChange={(e) => onChange({ communeId: e.target.value })}
          data-testid="filter-commune"
        >
          <option value="">{t('anyCommune')}</option>
          {communes.map((c) => (
            <option key={c.id} value={c.id}>
              {placeName(c, lang)} · {districtName(c, lang)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={id('language')}>{t('colLanguage')}</label>
        <select id={id('language')} value={filters.language} onChange={(e) => onChange({ language: e.target.value })} data-testid="filter-language">
          <option value="">{t('anyLanguage')}</option>
          {(['km', 'en', 'th'] as const).map((l) => (
            <option key={l} value={l}>
              {languageName(l, t)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={id('from')}>{t('dateFrom')}</label>
        <input id={id('from')} type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={id('to')}>{t('dateTo')}</label>
        <input id={id('to')} type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
      </div>
      <div className="field filter-actions">
        <button
          type="button"
          className="btn btn-secondary"
          disabled={!any}
          onClick={() => onChange(Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])))}
          data-testid="filter-clear"
        >
          {t('clearFilters')}
        </button>
      </div>
    </form>
  );
}

import { useEffect, useId, useState } from 'react';
import { api, paging, type Province, type StatusCounts, type TestimonyListPage, type TestimonySummary } from '../api/client';
import { unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { Thumb } from '../components/Media';
import { Pager } from '../components/Pager';
import { DecisionSummary } from '../components/DecisionSummary';
import { canDelete, DeleteButton, LIVE_STATUSES, StatusDetails } from '../components/TestimonyParts';
import { districtName, formatDate, formatNumber, languageName, placeName, statusLabel, useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useUser } from '../session';
import { useAsync } from '../useAsync';

const PAGE_SIZE = 20;
/** While something is being uploaded or processed, look again this often. */
const POLL_MS = 3000;

const STATUSES = ['uploading', 'processing', 'processing_failed', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn'];
/** The review queue's tabs: where an editor's work is, then where it went. */
const QUEUE_TABS = ['in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'processing_failed'];
const FILTER_KEYS = ['status', 'kind', 'provinceId', 'communeId', 'educatorId', 'language', 'from', 'to'] as const;
/** On the queue the status is the tab, and waiting time (oldest first) replaces the date range. */
const QUEUE_HIDDEN: readonly FilterKey[] = ['status', 'from', 'to'];
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

/** The list of items; with `queue`, the editors' review queue (tabs per state with counts, oldest first). */
export function TestimoniesPage({ queue = false }: { queue?: boolean }) {
  const { t, lang } = useI18n();
  const user = useUser();
  const { path, query } = useLocation();
  const page = pageFromQuery(query);
  const isEducator = user.role === 'educator';
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) ?? ''])) as Record<FilterKey, string>;
  if (queue && !filters.status) filters.status = 'in_review';
  const filterKey = FILTER_KEYS.map((k) => filters[k]).join('|');
  const [notice, setNotice] = useState<string | null>(null);

  const { data, error, loading, reload } = useAsync(async (signal) => {
    const q: Record<string, string | number> = { ...paging(page, PAGE_SIZE) };
    if (!isEducator) for (const k of FILTER_KEYS) if (filters[k]) q[k] = filters[k];
    if (queue) q.sort = 'oldest';
    // Filters beyond status/kind/commune are new in the API: passed untyped.
    const result = await api.GET('/api/testimonies', { params: { query: q as never }, signal });
    return unwrap(result) as TestimonyListPage;
  }, [page, filterKey, isEducator, queue]);
  const { data: counts } = useAsync<StatusCounts | null>(async (signal) => {
    if (!queue) return null;
    const q: Record<string, string> = {};
    for (const k of FILTER_KEYS) if (filters[k] && !QUEUE_HIDDEN.includes(k)) q[k] = filters[k];
    return unwrap(await api.GET('/api/testimonies/counts', { params: { query: q as never }, signal }));
  }, [filterKey, queue, data]);
  // Editors cannot list accounts: the educators to filter by are those whose items are shown.
  const [educators, setEducators] = useState<Record<string, string>>({});
  useEffect(() => {
    const seen = Object.fromEntries((data?.items ?? []).flatMap((i) => (i.educator ? [[i.educator.id, i.educator.displayName]] : [])));
    setEducators((known) => ({ ...known, ...seen }));
  }, [data]);

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
  const filtered = !isEducator && FILTER_KEYS.some((k) => filters[k] && !(queue && k === 'status'));

  return (
    <section aria-busy={loading && !data}>
      <div className="page-head">
        <h1 tabIndex={-1}>{queue ? t('reviewQueueTitle') : isEducator ? t('myTestimoniesTitle') : t('testimoniesTitle')}</h1>
        {isEducator && (
          <Link to="/upload" className="btn btn-primary" data-testid="upload-new">
            {t('uploadNew')}
          </Link>
        )}
      </div>
      {queue && <p className="hint">{t('reviewQueueIntro')}</p>}
      {queue && (
        <nav className="tabs" aria-label={t('filterStatus')} data-testid="queue-tabs">
          {QUEUE_TABS.map((s) => (
            <button
              key={s}
              type="button"
              className="tab"
              aria-current={filters.status === s ? 'page' : undefined}
              onClick={() => setFilter({ status: s })}
              data-testid={`queue-tab-${s}`}
            >
              {t('tabCount', { label: statusLabel(s, t), count: formatNumber(counts?.counts?.[s as keyof typeof counts.counts] ?? 0, lang) })}
            </button>
          ))}
        </nav>
      )}
      {!isEducator && <Filters filters={filters} onChange={setFilter} hidden={queue ? QUEUE_HIDDEN : []} educators={educators} />}
      <div aria-live="polite">{notice && <p className="notice notice-ok">{notice}</p>}</div>
      {loading && !data && <Loading />}
      {error !== undefined && <LoadError error={error} onRetry={reload} />}
      {data && data.items.length === 0 && (
        <p className="empty" data-testid="testimonies-empty">
          {queue ? t('reviewQueueEmpty') : filtered ? t('noMatches') : t('noTestimonies')}
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
        <DecisionSummary decision={item.latestDecision} status={item.status} />
        {deletable && (
          <div className="button-row item-actions">
            <DeleteButton id={item.id} title={item.title} onDeleted={onDeleted} />
          </div>
        )}
      </div>
    </li>
  );
}

function Filters({
  filters,
  onChange,
  hidden,
  educators,
}: {
  filters: Record<FilterKey, string>;
  onChange(changes: Partial<Record<FilterKey, string>>): void;
  hidden: readonly FilterKey[];
  /** id → name of the educators to choose from. */
  educators: Record<string, string>;
}) {
  const { t, lang } = useI18n();
  const ids = useId();
  const id = (n: string) => `${ids}-${n}`;
  const { data: provinces } = useAsync<Province[]>(async (signal) => unwrap(await api.GET('/api/places/provinces', { signal })), []);
  const sortedProvinces = [...(provinces ?? [])].sort((a, b) => placeName(a, lang).localeCompare(placeName(b, lang), lang));
  const province = provinces?.find((p) => p.id === filters.provinceId);
  const communes = [...(province?.communes ?? [])].sort(
    (a, b) => districtName(a, lang).localeCompare(districtName(b, lang), lang) || placeName(a, lang).localeCompare(placeName(b, lang), lang),
  );
  const shown = FILTER_KEYS.filter((k) => !hidden.includes(k));
  const any = shown.some((k) => filters[k]);

  return (
    <form className="card filters testimony-filters" data-testid="testimony-filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filtersTitle')}>
      {!hidden.includes('status') && (
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
      )}
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
        <label htmlFor={id('educator')}>{t('colEducator')}</label>
        <select id={id('educator')} value={filters.educatorId} onChange={(e) => onChange({ educatorId: e.target.value })} data-testid="filter-educator">
          <option value="">{t('anyEducator')}</option>
          {Object.entries(educators)
            .sort(([, a], [, b]) => a.localeCompare(b, lang))
            .map(([educatorId, name]) => (
              <option key={educatorId} value={educatorId}>
                {name}
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
      {!hidden.includes('from') && (
        <>
          <div className="field">
            <label htmlFor={id('from')}>{t('dateFrom')}</label>
            <input id={id('from')} type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={id('to')}>{t('dateTo')}</label>
            <input id={id('to')} type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
          </div>
        </>
      )}
      <div className="field filter-actions">
        <button
          type="button"
          className="btn btn-secondary"
          disabled={!any}
          onClick={() => onChange(Object.fromEntries(shown.map((k) => [k, ''])))}
          data-testid="filter-clear"
        >
          {t('clearFilters')}
        </button>
      </div>
    </form>
  );
}

import { api, paging } from '../api/client';
import { unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { Pager } from '../components/Pager';
import { formatDate, placeName, statusLabel, useI18n } from '../i18n';
import { navigate, useLocation } from '../router';
import { useUser } from '../session';
import { useAsync } from '../useAsync';

const PAGE_SIZE = 20;

export function pageFromQuery(query: URLSearchParams): number {
  const n = Number(query.get('page'));
  return Number.isInteger(n) && n > 0 ? n : 1;
}

export function TestimoniesPage() {
  const { t, lang } = useI18n();
  const user = useUser();
  const { path, query } = useLocation();
  const page = pageFromQuery(query);
  const { data, error, loading, reload } = useAsync(
    async (signal) => unwrap(await api.GET('/api/testimonies', { params: { query: paging(page, PAGE_SIZE) }, signal })),
    [page],
  );
  const title = user.role === 'educator' ? t('myTestimoniesTitle') : t('testimoniesTitle');

  return (
    <section aria-busy={loading}>
      <h1 tabIndex={-1}>{title}</h1>
      {loading && !data && <Loading />}
      {error !== undefined && <LoadError error={error} onRetry={reload} />}
      {data && data.items.length === 0 && (
        <p className="empty" data-testid="testimonies-empty">
          {t('noTestimonies')}
        </p>
      )}
      {data && data.items.length > 0 && (
        <>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('colTitle')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colCommune')}</th>
                <th scope="col">{t('colEducator')}</th>
                <th scope="col">{t('colDate')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr key={item.id}>
                  <td data-label={t('colTitle')} className="cell-title" lang={item.language}>
                    {item.title}
                    <span className="kind">{item.kind === 'video' ? t('kindVideo') : t('kindPhoto')}</span>
                  </td>
                  <td data-label={t('colStatus')}>
                    <div>
                      <span className={`badge status-${item.status}`}>{statusLabel(item.status, t)}</span>
                    </div>
                  </td>
                  <td data-label={t('colCommune')}>
                    <div>
                      {placeName(item.commune, lang)}
                      {item.commune?.province && <span className="sub">{placeName(item.commune.province, lang)}</span>}
                    </div>
                  </td>
                  <td data-label={t('colEducator')}>
                    <div>{item.educator?.displayName}</div>
                  </td>
                  <td data-label={t('colDate')}>
                    <div>
                      <time dateTime={item.createdAt}>{formatDate(item.createdAt, lang)}</time>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            page={data.page}
            pageSize={data.pageSize}
            total={data.total}
            onPage={(p) => navigate(p > 1 ? `${path}?page=${p}` : path)}
          />
        </>
      )}
    </section>
  );
}

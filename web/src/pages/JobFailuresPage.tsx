import { useState } from 'react';
import { api, paging, rawRequest } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { Pager } from '../components/Pager';
import { formatDate, formatNumber, useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useAsync } from '../useAsync';
import { pageFromQuery } from './TestimoniesPage';

const PAGE_SIZE = 25;

/** Jobs whose final failure leaves the item in processing_failed, where processing it again is the retry. */
const RETRIED_BY_REPROCESSING = ['process-testimony', 'make-publish-rendition'];

export function JobFailuresPage() {
  const { t, lang } = useI18n();
  const { path, query } = useLocation();
  const page = pageFromQuery(query);
  const { data, error, loading, reload } = useAsync(
    async (signal) =>
      unwrap(await api.GET('/api/admin/job-failures', { params: { query: paging(page, PAGE_SIZE) }, signal })),
    [page],
  );

  return (
    <section aria-busy={loading}>
      <div className="page-head">
        <h1 tabIndex={-1}>{t('jobFailuresTitle')}</h1>
        <button type="button" className="btn btn-secondary" onClick={reload} disabled={loading}>
          {t('refresh')}
        </button>
      </div>
      {loading && !data && <Loading />}
      {error !== undefined && <LoadError error={error} onRetry={reload} />}
      {data && data.items.length === 0 && <p className="empty">{t('noJobFailures')}</p>}
      {data && data.items.length > 0 && (
        <>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('colFailedAt')}</th>
                <th scope="col">{t('colQueue')}</th>
                <th scope="col">{t('colJob')}</th>
                <th scope="col">{t('colAttempts')}</th>
                <th scope="col">{t('colFinal')}</th>
                <th scope="col">{t('colReason')}</th>
                <th scope="col">{t('colItem')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((f) => (
                <tr key={f.id}>
                  <td data-label={t('colFailedAt')}>
                    <div>
                      <time dateTime={f.failedAt}>{formatDate(f.failedAt, lang, true)}</time>
                    </div>
                  </td>
                  <td data-label={t('colQueue')}>
                    <div>
                      <code>{f.queue}</code>
                    </div>
                  </td>
                  <td data-label={t('colJob')}>
                    <div>
                      <code>{f.jobName}</code>
                      {f.jobId && <span className="sub">#{f.jobId}</span>}
                    </div>
                  </td>
                  <td data-label={t('colAttempts')}>
                    <div>{formatNumber(f.attemptsMade, lang)}</div>
                  </td>
                  <td data-label={t('colFinal')}>
                    <div>
                      <span className={`badge ${f.final ? 'badge-bad' : 'badge-warn'}`}>{f.final ? t('finalYes') : t('finalNo')}</span>
                    </div>
                  </td>
                  <td data-label={t('colReason')} className="cell-reason">
                    <div lang="en">{f.reason}</div>
                  </td>
                  <td data-label={t('colItem')}>
                    <div>{f.testimonyId && <FailedItemActions testimonyId={f.testimonyId} canRetry={f.final && RETRIED_BY_REPROCESSING.includes(f.jobName)} />}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={(p) => navigate(p > 1 ? `${path}?page=${p}` : path)} />
        </>
      )}
    </section>
  );
}

/** The item a failure belongs to, and, for a processing job that gave up, processing it again. */
function FailedItemActions({ testimonyId, canRetry }: { testimonyId: string; canRetry: boolean }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const retry = async () => {
    setState({ busy: true, message: null });
    try {
      await rawRequest('POST', `/api/testimonies/${encodeURIComponent(testimonyId)}/reprocess`);
      setState({ busy: false, message: t('reprocessStarted') });
    } catch (e) {
      setState({ busy: false, message: errorText(e, t) });
    }
  };
  return (
    <>
      <Link to={`/testimonies/${encodeURIComponent(testimonyId)}`} data-testid="failure-item">
        {t('openItem')}
      </Link>
      {canRetry && (
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void retry()} disabled={state.busy} data-testid="failure-retry">
          {t('processAgain')}
        </button>
      )}
      {state.message && <span className="sub" role="status">{state.message}</span>}
    </>
  );
}

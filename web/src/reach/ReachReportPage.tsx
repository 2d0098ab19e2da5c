import { useState } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { formatNumber, useI18n } from '../i18n';
import { useAsync } from '../useAsync';
import { ProgressPanel } from './ReachPage';

/** First and last day of a YYYY-MM month. */
function monthRange(month: string): { from: string; to: string } {
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** One printable page for donors: the month's figures beside the campaign's progress so far. */
export default function ReachReportPage() {
  const { t, lang } = useI18n();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const range = monthRange(month);
  const report = useAsync(
    async (signal) => {
      const [sofar, inMonth, profile, items] = await Promise.all([
        api.GET('/api/reach/progress', { signal }).then(unwrap),
        api.GET('/api/reach/progress', { params: { query: range }, signal }).then(unwrap),
        api.GET('/api/reach/offline-profile', { params: { query: range }, signal }).then(unwrap),
        api.GET('/api/reach/testimonies', { params: { query: { ...range, limit: 5 } }, signal }).then(unwrap),
      ]);
      return { sofar, inMonth, profile, items };
    },
    [month],
  );
  const n = (v: number | null) => (v === null ? '—' : formatNumber(v, lang));

  return (
    <section className="reach-report">
      <div className="page-head no-print">
        <label>
          {t('reachMonth')} <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          {t('reachPrint')}
        </button>
      </div>
      <h1 tabIndex={-1}>{t('reachReportTitle', { month })}</h1>
      {report.loading && !report.data && <Loading />}
      {report.error !== undefined && <LoadError error={report.error} onRetry={report.reload} />}
      {report.data && (
        <>
          <h2>{t('reachSoFar')}</h2>
          <ProgressPanel progress={report.data.sofar} />
          <h2>{t('reachThisMonth')}</h2>
          <ul>
            <li>{t('reachMonthPeople', { n: n(report.data.inMonth.offline.uniquePeople) })}</li>
            <li>{t('reachMonthScreenings', { n: n(report.data.inMonth.offline.screenings) })}</li>
            <li>{t('reachOpenHeadcount', { n: n(report.data.inMonth.offline.openScreeningHeadcount) })}</li>
            <li>
              {t('reachOnlineEstimate')}: {n(report.data.inMonth.online.estimateAccounts)} {t('reachAccountsNotPeople')}
            </li>
            <li>
              {t('reachBySexAge')}:{' '}
              {report.data.profile.map((c) => `${t(`reachSex_${c.sex}` as Parameters<typeof t>[0])} ${c.ageBand}: ${n(c.uniquePeople)}`).join(' · ')}
            </li>
          </ul>
          <h2>{t('reachTopTestimonies')}</h2>
          <ol>
            {report.data.items.map((i) => (
              <li key={i.testimonyId}>
                {i.withdrawn ? t('reachWithdrawnItem') : i.title} — {t('reachItemFigures', { accounts: n(i.onlineReachAccounts), screenings: n(i.screenings), people: n(i.offlineUniquePeople) })}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

import { useI18n } from '../i18n';

interface Props {
  page: number;
  pageSize: number;
  total: number;
  onPage(page: number): void;
}

export function Pager({ page, pageSize, total, onPage }: Props) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  if (total <= pageSize && page <= 1) {
    return <p className="pager-total">{t('totalItems', { total })}</p>;
  }
  return (
    <nav className="pager" aria-label={t('pageOf', { page, pages })}>
      <button type="button" className="btn btn-secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        <span aria-hidden="true">‹ </span>
        {t('previousPage')}
      </button>
      <span className="pager-status">
        {t('pageOf', { page, pages })}
        <br />
        <small>{t('totalItems', { total })}</small>
      </span>
      <button type="button" className="btn btn-secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('nextPage')}
        <span aria-hidden="true"> ›</span>
      </button>
    </nav>
  );
}

import { api, type TestimonyDetail } from '../api/client';
import { unwrap } from '../api/errors';
import { CaptionEditor } from '../captions/CaptionEditor';
import { Loading, LoadError } from '../components/Feedback';
import { useFreshMediaLinks } from '../components/MediaView';
import { canEditCaptions } from '../components/TestimonyParts';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useUser } from '../session';
import { useAsync } from '../useAsync';

/** /testimonies/:id/captions: the caption editor, or a read-only view for those who may not change captions. */
export function CaptionsPage({ id }: { id: string }) {
  const { t } = useI18n();
  const user = useUser();
  const { data: item, error, loading, reload } = useAsync(
    async (signal) => unwrap(await api.GET('/api/testimonies/{id}', { params: { path: { id } }, signal })) as TestimonyDetail,
    [id],
  );
  useFreshMediaLinks(item, reload);

  return (
    <div className="captions" aria-busy={!item && loading}>
      <p className="back">
        <Link to={`/testimonies/${encodeURIComponent(id)}`} className="back-link">
          <span aria-hidden="true">‹ </span>
          {t('backToItem')}
        </Link>
      </p>
      {item?.kind === 'video' ? (
        <CaptionEditor item={item} editable={canEditCaptions(user, item)} onExpired={reload} />
      ) : (
        <section>
          <h1 tabIndex={-1}>{t('captionsTitle')}</h1>
          {item && <p className="notice notice-warn">{t('captionsPhoto')}</p>}
          {!item && loading && <Loading />}
          {error !== undefined && <LoadError error={error} onRetry={reload} />}
        </section>
      )}
    </div>
  );
}

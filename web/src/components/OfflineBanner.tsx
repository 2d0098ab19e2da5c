import { useI18n } from '../i18n';
import { useOffline } from '../offline';

/** Says plainly that the page shows what was seen last, in both languages: a shared phone may be set to either. */
export function OfflineBanner() {
  const { t } = useI18n();
  if (!useOffline()) return null;
  return (
    <div className="notice notice-warn offline-banner" role="status" data-testid="offline-banner">
      <p>{t('offlineSavedCopy')}</p>
    </div>
  );
}

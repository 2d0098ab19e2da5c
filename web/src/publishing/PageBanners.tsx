import { useI18n } from '../i18n';
import { Link } from '../router';
import { useUser } from '../session';
import { usePageConnection } from './pageConnection';

/**
 * Said on every page: a simulated Page posts nothing (so nobody believes a story went out), and a
 * Page that needs connecting again holds every publication back.
 */
export function PageBanners() {
  const { t } = useI18n();
  const user = useUser();
  const { data: page } = usePageConnection();
  if (!page?.connected) return null;
  const publishes = user.role === 'editor' || user.role === 'admin';
  return (
    <>
      {page.simulated && (
        <p className="banner banner-info" role="status" data-testid="banner-simulated">
          {t('bannerSimulated')}
        </p>
      )}
      {publishes && page.state === 'needs_reconnect' && (
        <p className="banner banner-warn" role="alert" data-testid="banner-reconnect">
          {t('bannerNeedsReconnect', { reason: page.stateReason ?? '' })}
          {user.role === 'admin' && (
            <>
              {' '}
              <Link to="/facebook-page">{t('bannerNeedsReconnectAdmin')}</Link>
            </>
          )}
        </p>
      )}
    </>
  );
}

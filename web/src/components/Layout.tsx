import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Role } from '../api/client';
import { roleLabel, useI18n, type MessageKey } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession, useUser } from '../session';
import { PageBanners } from '../publishing/PageBanners';
import { LanguageSwitch } from './LanguageSwitch';

export type NavKey = 'upload' | 'review' | 'testimonies' | 'calendar' | 'publications' | 'facebook-page' | 'reach' | 'screening' | 'users' | 'job-failures' | 'queues' | 'profile';

interface NavItem {
  key: NavKey;
  href: string;
  label: MessageKey;
  /** Served by the API, not by this app: a plain full-page link. */
  external?: boolean;
}

const ITEMS: Record<NavKey, NavItem> = {
  upload: { key: 'upload', href: '/upload', label: 'navUpload' },
  review: { key: 'review', href: '/review', label: 'navReview' },
  testimonies: { key: 'testimonies', href: '/testimonies', label: 'navTestimonies' },
  calendar: { key: 'calendar', href: '/calendar', label: 'navCalendar' },
  publications: { key: 'publications', href: '/publications', label: 'navPublications' },
  'facebook-page': { key: 'facebook-page', href: '/facebook-page', label: 'navFacebookPage' },
  reach: { key: 'reach', href: '/reach', label: 'navReach' },
  screening: { key: 'screening', href: '/screenings/new', label: 'navScreening' },
  users: { key: 'users', href: '/users', label: 'navUsers' },
  'job-failures': { key: 'job-failures', href: '/job-failures', label: 'navJobFailures' },
  queues: { key: 'queues', href: '/admin/queues', label: 'navQueues', external: true },
  profile: { key: 'profile', href: '/profile', label: 'navProfile' },
};

export const NAV_BY_ROLE: Record<Role, NavKey[]> = {
  educator: ['upload', 'testimonies', 'screening', 'profile'],
  editor: ['review', 'testimonies', 'calendar', 'publications', 'reach', 'profile'],
  lead: ['testimonies', 'publications', 'reach', 'screening', 'profile'],
  admin: ['review', 'testimonies', 'calendar', 'publications', 'facebook-page', 'reach', 'users', 'job-failures', 'queues', 'profile'],
};

function itemLabel(item: NavItem, role: Role): MessageKey {
  return item.key === 'testimonies' && role === 'educator' ? 'navMyTestimonies' : item.label;
}

/** Signed-in frame: top bar, role-aware navigation (a menu button on phones), content. */
export function Layout({ children, navigation = true }: { children: ReactNode; navigation?: boolean }) {
  const { t } = useI18n();
  const { logout, changeLanguage } = useSession();
  const user = useUser();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After in-app navigation: close the menu, go to the top, and move focus
  // to the new page heading so screen readers announce it.
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);

  // Escape closes the phone menu.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenuOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const signOut = async () => {
    setSigningOut(true);
    await logout();
  };

  const items = navigation ? NAV_BY_ROLE[user.role] ?? [] : [];

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            {t('appName')}
          </Link>
          <LanguageSwitch className="on-dark" onChange={changeLanguage} />
          <button
            type="button"
            className="menu-toggle"
            data-testid="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="menu-icon" aria-hidden="true" />
            {t('menu')}
          </button>
        </div>
        <nav id="main-nav" className={`main-nav${menuOpen ? ' open' : ''}`} aria-label={t('mainNavigation')}>
          <ul>
            {items.map((key) => {
              const item = ITEMS[key];
              const current = !item.external && (path === item.href || path.startsWith(`${item.href}/`));
              const common = {
                'data-testid': `nav-${item.key}`,
                className: 'nav-link',
                'aria-current': current ? ('page' as const) : undefined,
                // Also close when the link is to the page already shown (no path change).
                onClick: () => setMenuOpen(false),
                children: t(itemLabel(item, user.role)),
              };
              return <li key={key}>{item.external ? <a href={item.href} {...common} /> : <Link to={item.href} {...common} />}</li>;
            })}
            <li className="nav-user">
              <span className="nav-user-name">{t('signedInAs', { name: user.displayName || user.username })}</span>
              <span className="nav-user-role">{roleLabel(user.role, t)}</span>
            </li>
            <li>
              <button type="button" className="nav-link nav-logout" data-testid="nav-logout" onClick={signOut} disabled={signingOut}>
                {signingOut ? t('signingOut') : t('signOut')}
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} className="content" tabIndex={-1}>
        {navigation && <PageBanners />}
        {children}
      </main>
    </div>
  );
}

import { lazy, Suspense, useEffect, type ReactElement } from 'react';
import { errorText } from './api/errors';
import { Loading } from './components/Feedback';
import { Layout } from './components/Layout';
import { LanguageSwitch } from './components/LanguageSwitch';
import { OfflineBanner } from './components/OfflineBanner';
import { useI18n } from './i18n';
import { LoginPage } from './pages/LoginPage';
import { TestimoniesPage } from './pages/TestimoniesPage';
import { UploadPage } from './pages/UploadPage';
import { Link, navigate, useLocation } from './router';
import { useSession, useUser } from './session';

// The reach pages bring Chart.js: loaded only when someone opens them.
const ReachPage = lazy(() => import('./reach/ReachPage'));
const ReachReportPage = lazy(() => import('./reach/ReachReportPage'));
const ScreeningPage = lazy(() => import('./reach/ScreeningPage'));
// An educator's phone loads sign-in, upload and "my testimonies" first; the other pages come when opened.
const CalendarPage = lazy(() => import('./pages/CalendarPage').then((m) => ({ default: m.CalendarPage })));
const CaptionsPage = lazy(() => import('./pages/CaptionsPage').then((m) => ({ default: m.CaptionsPage })));
const JobFailuresPage = lazy(() => import('./pages/JobFailuresPage').then((m) => ({ default: m.JobFailuresPage })));
const PageConnectionPage = lazy(() => import('./pages/PageConnectionPage').then((m) => ({ default: m.PageConnectionPage })));
const MustChangePasswordPage = lazy(() => import('./pages/ProfilePage').then((m) => ({ default: m.MustChangePasswordPage })));
const ProfilePage = lazy(() => import('./pages/ProfilePage').then((m) => ({ default: m.ProfilePage })));
const PublicationsPage = lazy(() => import('./pages/PublicationsPage').then((m) => ({ default: m.PublicationsPage })));
const TestimonyPage = lazy(() => import('./pages/TestimonyPage').then((m) => ({ default: m.TestimonyPage })));
const UsersPage = lazy(() => import('./pages/UsersPage').then((m) => ({ default: m.UsersPage })));

export function App() {
  const { state, recheck } = useSession();
  const { t } = useI18n();

  switch (state.status) {
    case 'loading':
      return (
        <div className="splash">
          <p className="brand brand-login">{t('appName')}</p>
          <Loading />
        </div>
      );
    case 'offline':
      return (
        <div className="splash">
          <p className="brand brand-login">{t('appName')}</p>
          <LanguageSwitch />
          <div className="notice notice-error" role="alert">
            <p>{errorText(state.error, t)}</p>
            <button type="button" className="btn btn-primary" onClick={recheck}>
              {t('tryAgain')}
            </button>
          </div>
        </div>
      );
    case 'anonymous':
      return <LoginPage expired={state.expired} />;
    case 'signed-in':
      return state.user.mustChangePassword ? (
        <Layout navigation={false}>
          <Suspense fallback={<Loading />}>
            <MustChangePasswordPage />
          </Suspense>
        </Layout>
      ) : (
        <Layout>
          <OfflineBanner />
          <Suspense fallback={<Loading />}>
            <Routes />
          </Suspense>
        </Layout>
      );
  }
}

/** Pages the API serves itself (the queue dashboard) send people here to sign in, then back. */
function serverPageToReturnTo(): string | null {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && /^\/admin\/queues(\/|$)/.test(next) ? next : null;
}

function ServerPage({ to }: { to: string }) {
  useEffect(() => window.location.assign(to), [to]);
  return null;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Lazy({ page }: { page: ReactElement }) {
  return <Suspense fallback={<Loading />}>{page}</Suspense>;
}

function Routes() {
  const { path } = useLocation();
  const user = useUser();
  const { t } = useI18n();
  const isAdmin = user.role === 'admin';

  switch (path) {
    case '/':
    case '/login':
    case '/index.html': {
      const next = serverPageToReturnTo();
      return next && isAdmin ? <ServerPage to={next} /> : <Redirect to="/testimonies" />;
    }
    case '/testimonies':
      return <TestimoniesPage />;
    case '/review':
      if (user.role === 'editor' || isAdmin) return <TestimoniesPage queue key="queue" />;
      break;
    case '/upload':
      if (user.role === 'educator' || isAdmin) return <UploadPage />;
      break;
    case '/profile':
      return <ProfilePage />;
    case '/users':
      if (isAdmin) return <UsersPage />;
      break;
    case '/calendar':
      if (user.role === 'editor' || isAdmin) return <CalendarPage />;
      break;
    case '/publications':
      if (user.role === 'editor' || user.role === 'lead' || isAdmin) return <PublicationsPage />;
      break;
    case '/facebook-page':
      if (isAdmin) return <PageConnectionPage />;
      break;
    case '/job-failures':
      if (isAdmin) return <JobFailuresPage />;
      break;
    case '/reach':
      if (user.role !== 'educator') return <Lazy page={<ReachPage />} />;
      break;
    case '/reach/report':
      if (user.role !== 'educator') return <Lazy page={<ReachReportPage />} />;
      break;
    case '/screenings/new':
      if (user.role === 'educator' || user.role === 'lead' || isAdmin) return <Lazy page={<ScreeningPage />} />;
      break;
  }
  const item = /^\/testimonies\/([^/]+)(\/captions)?$/.exec(path);
  if (item?.[1]) {
    const id = decodeURIComponent(item[1]);
    return item[2] ? <CaptionsPage id={id} /> : <TestimonyPage id={id} />;
  }
  return (
    <section>
      <h1 tabIndex={-1}>{t('pageNotFound')}</h1>
      <p>
        <Link to="/testimonies" className="btn btn-secondary">
          {t('goHome')}
        </Link>
      </p>
    </section>
  );
}

import { useRef, useState, type FormEvent } from 'react';
import { errorText } from '../api/errors';
import { FormMessage } from '../components/Feedback';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PasswordInput } from '../components/PasswordInput';
import { useI18n, type Lang } from '../i18n';
import { useSession } from '../session';

export function LoginPage({ expired }: { expired: boolean }) {
  const { t, setLang } = useI18n();
  const { login } = useSession();
  // Only a language picked here wins over the account's; one remembered from an earlier visit does not.
  const [chosenLanguage, setChosenLanguage] = useState<Lang | undefined>();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const name = username.trim();
    if (!name) {
      setError(t('enterUsername'));
      usernameRef.current?.focus();
      return;
    }
    if (!password) {
      setError(t('enterPassword'));
      passwordRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(name, password, chosenLanguage);
      // The session provider switches to the signed-in shell.
    } catch (err) {
      setBusy(false);
      setError(errorText(err, t));
      setPassword('');
      passwordRef.current?.focus();
    }
  };

  return (
    <div className="login-page">
      <header className="login-header">
        <div>
          <p className="brand brand-login">{t('appName')}</p>
          <p className="tagline">{t('appTagline')}</p>
        </div>
        <LanguageSwitch
          onChange={(lang) => {
            setLang(lang);
            setChosenLanguage(lang);
          }}
        />
      </header>
      <main id="main" className="login-main">
        <form className="card login-card" onSubmit={submit} noValidate aria-describedby="login-message">
          <h1>{t('signInTitle')}</h1>
          {expired && !error && (
            <p className="notice notice-warn" role="status" data-testid="session-ended">
              {t('errSessionEnded')}
            </p>
          )}
          <p className="muted">{t('signInIntro')}</p>
          <div className="field">
            <label htmlFor="login-username">{t('username')}</label>
            <input
              ref={usernameRef}
              id="login-username"
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              inputMode="text"
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={error === t('enterUsername') || undefined}
            />
          </div>
          <PasswordInput
            ref={passwordRef}
            id="login-password"
            name="password"
            label={t('password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <FormMessage id="login-message" error={error} />
          <button type="submit" className="btn btn-primary btn-block" data-testid="login-submit" disabled={busy}>
            {busy ? t('signingIn') : t('signIn')}
          </button>
          <p className="hint">{t('forgotPasswordHint')}</p>
        </form>
      </main>
    </div>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { FormMessage } from '../components/Feedback';
import { districtName, isLang, placeName, roleLabel, useI18n, type Lang } from '../i18n';
import { useSession, useUser } from '../session';

export function ProfilePage() {
  const { t, lang, setLang } = useI18n();
  const user = useUser();
  const { setUser } = useSession();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [preferred, setPreferred] = useState<Lang>(isLang(user.preferredLanguage) ? user.preferredLanguage : lang);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);

  // Keep the form in step if the language is switched from the top bar.
  useEffect(() => {
    if (isLang(user.preferredLanguage)) setPreferred(user.preferredLanguage);
  }, [user.preferredLanguage]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSuccess(null);
    const name = displayName.trim();
    if (!name) {
      setError(t('enterDisplayName'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = unwrap(await api.PATCH('/api/auth/me', { body: { displayName: name, preferredLanguage: preferred } }));
      setUser(updated);
      if (isLang(updated.preferredLanguage)) setLang(updated.preferredLanguage);
      setSuccess(t('saved'));
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const commune = user.commune;
  return (
    <section>
      <h1 tabIndex={-1}>{t('profileTitle')}</h1>

      <div className="card">
        <h2>{t('yourAccount')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('username')}</dt>
            <dd data-testid="profile-username">{user.username}</dd>
          </div>
          <div>
            <dt>{t('role')}</dt>
            <dd>{roleLabel(user.role, t)}</dd>
          </div>
          <div>
            <dt>{t('commune')}</dt>
            <dd>{commune ? `${placeName(commune, lang)}, ${districtName(commune, lang)}` : t('notSet')}</dd>
          </div>
          <div>
            <dt>{t('province')}</dt>
            <dd>{commune ? placeName(commune.province, lang) : t('notSet')}</dd>
          </div>
        </dl>
      </div>

      <form className="card stack" onSubmit={save} noValidate>
        <h2>{t('editProfile')}</h2>
        <div className="field">
          <label htmlFor="profile-display-name">{t('displayName')}</label>
          <input
            id="profile-display-name"
            type="text"
            autoComplete="name"
            maxLength={100}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            required
          />
        </div>
        <fieldset className="field">
          <legend>{t('preferredLanguage')}</legend>
          <div className="choice-row">
            {(['km', 'en'] as const).map((code) => (
              <label key={code} className="choice">
                <input type="radio" name="preferred-language" value={code} checked={preferred === code} onChange={() => setPreferred(code)} />
                <span lang={code}>{code === 'km' ? 'ខ្មែរ' : 'English'}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <FormMessage error={error} success={success} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
      </form>

      <div className="card" id="change-password">
        <h2>{t('changePassword')}</h2>
        <ChangePasswordForm />
      </div>
    </section>
  );
}

/** Shown instead of every page while `mustChangePassword` is true. */
export function MustChangePasswordPage() {
  const { t } = useI18n();
  const { setUser } = useSession();
  const user = useUser();

  const done = async () => {
    try {
      setUser(unwrap(await api.GET('/api/auth/me')));
    } catch {
      setUser({ ...user, mustChangePassword: false });
    }
  };

  return (
    <section>
      <h1 tabIndex={-1}>{t('mustChangeTitle')}</h1>
      <p className="notice notice-warn" data-testid="must-change-password">
        {t('mustChangeBody')}
      </p>
      <div className="card">
        <ChangePasswordForm onChanged={done} autoFocus />
      </div>
    </section>
  );
}

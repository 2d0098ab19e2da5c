import { useRef, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { useI18n } from '../i18n';
import { FormMessage } from './Feedback';
import { PasswordInput } from './PasswordInput';

const MIN_LENGTH = 10;

/** Current + new (twice) password form for `POST /api/auth/me/password`. */
export function ChangePasswordForm({ onChanged, autoFocus = false }: { onChanged?: () => void | Promise<void>; autoFocus?: boolean }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const againRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSuccess(null);
    if (!current) {
      setError(t('enterPassword'));
      currentRef.current?.focus();
      return;
    }
    if (next.length < MIN_LENGTH) {
      setError(t('errPasswordTooWeak'));
      nextRef.current?.focus();
      return;
    }
    if (next !== again) {
      setError(t('passwordsDoNotMatch'));
      againRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST('/api/auth/me/password', { body: { currentPassword: current, newPassword: next } }));
      setCurrent('');
      setNext('');
      setAgain('');
      setSuccess(t('passwordChanged'));
      await onChanged?.();
    } catch (err) {
      setError(errorText(err, t, { INVALID_CREDENTIALS: 'errCurrentPasswordWrong' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="change-password-form">
      <PasswordInput
        ref={currentRef}
        label={t('currentPassword')}
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        autoFocus={autoFocus}
        required
      />
      <PasswordInput
        ref={nextRef}
        label={t('newPassword')}
        hint={t('passwordHint')}
        autoComplete="new-password"
        minLength={MIN_LENGTH}
        value={next}
        onChange={(e) => setNext(e.target.value)}
        required
      />
      <PasswordInput
        ref={againRef}
        label={t('confirmNewPassword')}
        autoComplete="new-password"
        value={again}
        onChange={(e) => setAgain(e.target.value)}
        required
      />
      <FormMessage error={error} success={success} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('saving') : t('changePassword')}
      </button>
    </form>
  );
}

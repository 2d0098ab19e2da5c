import { useId, useState, type InputHTMLAttributes, type Ref } from 'react';
import { useI18n } from '../i18n';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & {
  label: string;
  hint?: string;
  ref?: Ref<HTMLInputElement>;
};

/** Labelled password field with a big show/hide toggle. */
export function PasswordInput({ label, hint, id, ref, ...input }: Props) {
  const { t } = useI18n();
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const [visible, setVisible] = useState(false);
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <div className="password-row">
        <input
          {...input}
          ref={ref}
          id={inputId}
          type={visible ? 'text' : 'password'}
          aria-describedby={[hintId, input['aria-describedby']].filter(Boolean).join(' ') || undefined}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
        />
        <button
          type="button"
          className="btn btn-secondary reveal"
          aria-pressed={visible}
          aria-controls={inputId}
          aria-label={visible ? t('hidePasswordLabel') : t('showPasswordLabel')}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? t('hidePassword') : t('showPassword')}
        </button>
      </div>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

import { LANGS, useI18n, type Lang } from '../i18n';

/** Two buttons, ខ្មែរ / English, each labelled in its own language. */
export function LanguageSwitch({ onChange, className = '' }: { onChange?: (lang: Lang) => void; className?: string }) {
  const { lang, setLang, t } = useI18n();
  const pick = onChange ?? setLang;
  return (
    <div className={`lang-switch ${className}`} role="group" aria-label={t('chooseLanguage')}>
      {LANGS.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          className="lang-btn"
          data-testid={`lang-${code}`}
          aria-pressed={lang === code}
          onClick={() => pick(code)}
        >
          {code === 'km' ? 'ខ្មែរ' : 'English'}
        </button>
      ))}
    </div>
  );
}

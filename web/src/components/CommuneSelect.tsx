import type { Province } from '../api/client';
import { districtName, placeName, useI18n } from '../i18n';

interface Props {
  id: string;
  value: string;
  onChange(value: string): void;
  provinces: Province[];
  required: boolean;
  describedBy?: string;
}

/** Commune picker grouped by province (`<optgroup>`), labels in the current language. */
export function CommuneSelect({ id, value, onChange, provinces, required, describedBy }: Props) {
  const { t, lang } = useI18n();
  const sorted = [...provinces].sort((a, b) => placeName(a, lang).localeCompare(placeName(b, lang), lang));
  return (
    <select
      id={id}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      required={required}
      aria-required={required}
      aria-describedby={describedBy}
    >
      <option value="">{required ? `— ${t('chooseCommune')} —` : t('noCommune')}</option>
      {sorted.map((p) => (
        <optgroup key={p.id} label={placeName(p, lang)}>
          {[...p.communes]
            .sort((a, b) => districtName(a, lang).localeCompare(districtName(b, lang), lang) || placeName(a, lang).localeCompare(placeName(b, lang), lang))
            .map((c) => (
              <option key={c.id} value={c.id}>
                {placeName(c, lang)} · {districtName(c, lang)}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

import { type CaptionLanguage, FACEBOOK_LOCALE } from '../caption.types';

/**
 * Facebook reads the caption language from the file name (`<name>.km_KH.srt`). The base comes from an id,
 * never a title: a title would leak a survivor's words or name into a file others can see.
 */
export function facebookCaptionFileName(baseName: string, language: CaptionLanguage): string {
  const base =
    baseName
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 64)
      .replace(/-$/, '') || 'captions';
  return `${base}.${FACEBOOK_LOCALE[language]}.srt`;
}

import { storageKeys } from '../storage/storage-keys';
import { CAPTION_LANGUAGES, CaptionLanguage } from './caption.types';

/**
 * The WebVTT sidecar of one saved version, under the testimony's prefix so deleting the testimony
 * removes it too. Built from ids only; the version in the name means a browser never gets a stale copy.
 */
export function captionSidecarKey(testimonyId: string, language: CaptionLanguage, version: number): string {
  return `${captionsPrefix(testimonyId, language, version)}.vtt`;
}

/** The video with one version of the captions burned in; beside the sidecars, and removed with the testimony. */
export function captionedVideoKey(testimonyId: string, language: CaptionLanguage, version: number): string {
  return `${captionsPrefix(testimonyId, language, version)}.mp4`;
}

function captionsPrefix(testimonyId: string, language: CaptionLanguage, version: number): string {
  if (!CAPTION_LANGUAGES.includes(language)) throw new Error(`Unsupported caption language ${JSON.stringify(language)}`);
  if (!Number.isInteger(version) || version < 1) throw new Error(`caption version must be a whole number ≥ 1, got ${version}`);
  return `${storageKeys.testimonyPrefix(testimonyId)}captions/${language}-v${version}`;
}

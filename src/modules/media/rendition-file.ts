import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { RenditionFile } from './media.types';

const MIME_TYPES: Record<string, string> = { mp4: 'video/mp4', jpg: 'image/jpeg', webp: 'image/webp' };

/** Describes a file we just wrote; the size comes from disk so it is what storage will receive. */
export async function renditionFile(
  path: string,
  size: { width: number; height: number },
  durationMs: number | null,
  details: Record<string, unknown> = {},
): Promise<RenditionFile> {
  const extension = extname(path).slice(1);
  const { size: byteSize } = await stat(path);
  return { path, mimeType: MIME_TYPES[extension] ?? 'application/octet-stream', extension, width: size.width, height: size.height, durationMs, byteSize, details };
}

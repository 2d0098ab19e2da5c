import { open } from 'node:fs/promises';

/** The first bytes of a file, to recognise its format from its magic numbers rather than its name. */
export async function readHead(file: string, bytes = 64): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

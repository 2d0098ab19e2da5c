// Canonical lower-case UUIDs as PostgreSQL returns them; not just any 36 hex digits and dashes.
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXTENSION = /^[a-z0-9]{1,5}$/;

function assertId(value: string, what: string): void {
  if (!ID.test(value)) throw new Error(`${what} must be a UUID to build a storage key, got ${JSON.stringify(value)}`);
}

/**
 * Object keys are built from ids and a fixed extension only. A user's filename (`../../etc/passwd.jpg`,
 * Khmer text, emoji) never reaches S3, so it can neither escape a prefix nor be mangled by S3 metadata.
 */
export const storageKeys = {
  testimonyPrefix(testimonyId: string): string {
    assertId(testimonyId, 'testimonyId');
    return `testimonies/${testimonyId}/`;
  },

  asset(testimonyId: string, assetId: string, extension: string): string {
    assertId(assetId, 'assetId');
    if (!EXTENSION.test(extension)) throw new Error(`Unsupported storage extension ${JSON.stringify(extension)}`);
    return `${storageKeys.testimonyPrefix(testimonyId)}${assetId}.${extension}`;
  },
};

// Canonical lower-case UUIDs as PostgreSQL returns them; not just any 36 hex digits and dashes.
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXTENSION = /^[a-z0-9]{1,5}$/;
/** Asset roles and variants are ours ('thumbnail', '320w-webp'), but checked anyway: they end up in a key. */
const ROLE = /^[a-z]{1,16}$/;
const VARIANT = /^[a-z0-9-]{0,32}$/;

function assertId(value: string, what: string): void {
  if (!ID.test(value)) throw new Error(`${what} must be a UUID to build a storage key, got ${JSON.stringify(value)}`);
}

function assertGeneration(generation: number): void {
  if (!Number.isInteger(generation) || generation < 0) throw new Error(`generation must be a whole number ≥ 0, got ${generation}`);
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

  /**
   * Every rendition of one processing run sits under its own folder, so a retried run overwrites its own
   * objects, and a newer run can drop an older run's objects (even ones no row points to) with one prefix.
   */
  renditionPrefix(testimonyId: string, generation: number): string {
    assertGeneration(generation);
    return `${storageKeys.testimonyPrefix(testimonyId)}r${generation}/`;
  },

  rendition(testimonyId: string, generation: number, role: string, variant: string, extension: string): string {
    if (!ROLE.test(role)) throw new Error(`Unsupported rendition role ${JSON.stringify(role)}`);
    if (!VARIANT.test(variant)) throw new Error(`Unsupported rendition variant ${JSON.stringify(variant)}`);
    if (!EXTENSION.test(extension)) throw new Error(`Unsupported storage extension ${JSON.stringify(extension)}`);
    return `${storageKeys.renditionPrefix(testimonyId, generation)}${variant ? `${role}-${variant}` : role}.${extension}`;
  },
};

import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Page access tokens at rest: AES-256-GCM with the key from PAGE_TOKEN_ENCRYPTION_KEY, so a copy of the
 * database alone cannot post on the campaign's Page. The Page id is bound in as associated data: a
 * token's ciphertext copied onto another Page's row does not decrypt. Stored as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), the version leaving room for a key change later.
 */
@Injectable()
export class PageTokenCipher {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'pageTokenKey'>) {
    if (config.pageTokenKey.length !== 32) throw new Error('PAGE_TOKEN_ENCRYPTION_KEY must be 32 bytes');
    this.key = config.pageTokenKey;
  }

  encrypt(token: string, pageId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(pageId, 'utf8'));
    const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Throws when the text was not made by encrypt() with this key for this Page, or was altered. */
  decrypt(sealed: string, pageId: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('The stored Page token is not in a format this version can read.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(pageId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('The stored Page token cannot be decrypted: PAGE_TOKEN_ENCRYPTION_KEY changed, or the token belongs to another Page. Connect the Page again.');
    }
  }
}

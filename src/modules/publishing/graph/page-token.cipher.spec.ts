import { randomBytes } from 'node:crypto';
import { PageTokenCipher } from './page-token.cipher';

const cipher = (key = Buffer.alloc(32, 3)) => new PageTokenCipher({ pageTokenKey: key });

describe('PageTokenCipher', () => {
  it('gives back the token it sealed, and never the token in clear', () => {
    const token = `EAA${randomBytes(60).toString('base64url')}`;
    const sealed = cipher().encrypt(token, '1001');

    expect(sealed).not.toContain(token);
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(cipher().decrypt(sealed, '1001')).toBe(token);
  });

  it('seals the same token differently each time', () => {
    expect(cipher().encrypt('EAAsame', '1001')).not.toBe(cipher().encrypt('EAAsame', '1001'));
  });

  it('refuses another key, another Page, and altered text', () => {
    const sealed = cipher().encrypt('EAAsecret', '1001');
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;

    expect(() => cipher(Buffer.alloc(32, 4)).decrypt(sealed, '1001')).toThrow(/cannot be decrypted/);
    expect(() => cipher().decrypt(sealed, '1002')).toThrow(/another Page/);
    expect(() => cipher().decrypt([v, iv, tag, flipped.toString('base64url')].join('.'), '1001')).toThrow(/cannot be decrypted/);
    expect(() => cipher().decrypt('plain-token', '1001')).toThrow(/format/);
  });

  it('will not start with a key of the wrong length', () => {
    expect(() => cipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

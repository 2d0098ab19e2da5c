import { AppError, ErrorCode } from '../../common/errors/app-error';
import { assertStrongPassword, generateTemporaryPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy';

function refusal(password: string, username?: string): AppError {
  try {
    assertStrongPassword(password, username);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`password ${JSON.stringify(password)} was accepted`);
}

describe('assertStrongPassword', () => {
  it('accepts a password of the minimum length and refuses one character less, with a 400 that says why', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
    expect(() => assertStrongPassword('a'.repeat(10))).not.toThrow();
    const error = refusal('a'.repeat(9));
    expect(error.code).toBe(ErrorCode.PasswordTooWeak);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/at least 10 characters/);
  });

  it('counts Khmer passwords in characters, not bytes', () => {
    const tenKhmer = 'កខគឃងចឆជឈញ'; // 10 characters, 30 bytes in UTF-8
    expect([...tenKhmer]).toHaveLength(10);
    expect(Buffer.byteLength(tenKhmer)).toBe(30);
    expect(() => assertStrongPassword(tenKhmer)).not.toThrow();
    expect(() => assertStrongPassword(tenKhmer.slice(0, 9))).toThrow(AppError);
    // A Khmer phrase with vowel signs and a coeng subscript: every code point counts as typed.
    expect(() => assertStrongPassword('ខ្ញុំស្រឡាញ់')).not.toThrow();
  });

  it('counts characters outside the basic plane once, not as two UTF-16 units', () => {
    expect(refusal('🙂'.repeat(9)).message).toMatch(/at least 10/);
    expect(() => assertStrongPassword('🙂'.repeat(10))).not.toThrow();
    expect(() => assertStrongPassword('🙂'.repeat(MAX_PASSWORD_LENGTH))).not.toThrow();
  });

  it('refuses a password longer than the maximum', () => {
    expect(() => assertStrongPassword('a'.repeat(MAX_PASSWORD_LENGTH))).not.toThrow();
    expect(refusal('a'.repeat(MAX_PASSWORD_LENGTH + 1)).message).toMatch(/at most 128 characters/);
  });

  it('refuses a password that contains the username, whatever the case', () => {
    expect(refusal('my-sokha.ch-password', 'sokha.ch').message).toMatch(/not containing the username/);
    expect(refusal('MY-SOKHA.CH-PASSWORD', 'sokha.ch').message).toMatch(/not containing the username/);
    expect(refusal('sokha.ch-2026-pass', 'SOKHA.CH').code).toBe(ErrorCode.PasswordTooWeak);
    expect(() => assertStrongPassword('a long passphrase', 'sokha.ch')).not.toThrow();
    expect(() => assertStrongPassword('a long passphrase', '')).not.toThrow();
  });

  it('names every problem in one message', () => {
    const message = refusal('sokha', 'sokha').message;
    expect(message).toMatch(/at least 10 characters/);
    expect(message).toMatch(/not containing the username/);
  });
});

describe('generateTemporaryPassword', () => {
  const UNAMBIGUOUS = /^[abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789]+$/;

  it('is 14 characters by default, or the length asked for', () => {
    expect(generateTemporaryPassword()).toHaveLength(14);
    expect(generateTemporaryPassword(16)).toHaveLength(16);
    expect(generateTemporaryPassword(40)).toHaveLength(40);
  });

  it('uses no character that can be misread over the phone (0/O/o, 1/l/I/i)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const password = generateTemporaryPassword();
      expect(password).toMatch(UNAMBIGUOUS);
      for (const c of password) seen.add(c);
    }
    for (const ambiguous of ['0', 'O', 'o', '1', 'l', 'I', 'i']) expect(seen.has(ambiguous)).toBe(false);
    // 14,000 draws from 55 symbols use the whole alphabet: the generator is not stuck on a subset.
    expect(seen.size).toBe(55);
  });

  it('does not repeat across 1000 draws', () => {
    const drawn = new Set(Array.from({ length: 1000 }, () => generateTemporaryPassword()));
    expect(drawn.size).toBe(1000);
  });

  it('passes its own strength policy', () => {
    for (let i = 0; i < 100; i++) expect(() => assertStrongPassword(generateTemporaryPassword())).not.toThrow();
  });
});

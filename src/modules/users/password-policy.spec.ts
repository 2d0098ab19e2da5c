import { AppError, ErrorCode } from '../../common/errors/app-error';
import { assertStrongPassword, generateTemporaryPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy';

interface Refusal {
  code: string;
  status: number;
  message: string;
  problems: { kind: string; values?: Record<string, number | string> }[];
}

function refusal(password: string, username?: string): Refusal {
  try {
    assertStrongPassword(password, username);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const { code, status, message, problems = [] } = error as AppError;
    return { code, status, message, problems };
  }
  throw new Error(`password ${JSON.stringify(password)} was accepted`);
}

const kinds = (password: string, username?: string) => refusal(password, username).problems.map((p) => p.kind);

describe('assertStrongPassword', () => {
  it('accepts a password of the minimum length and refuses one character less, with a 400 that says why', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
    expect(() => assertStrongPassword('kDx7mPqR2v')).not.toThrow();
    const error = refusal('kDx7mPqR2');
    expect(error.code).toBe(ErrorCode.PasswordTooWeak);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/at least 10 characters/);
    expect(error.problems).toEqual([expect.objectContaining({ kind: 'too-short', values: { min: 10 } })]);
  });

  it.each([
    ['a repeated letter', 'aaaaaaaaaa', 'repeated'],
    ['a sequence of digits', '1234567890', 'common'],
    ['a common password with digits', 'password12', 'common'],
    ['a keyboard row', 'qwertyuiop', 'common'],
    ['a run of Khmer letters in alphabet order', 'កខគឃងចឆជឈញ', 'pattern'],
  ])('refuses %s (%p) as too easy to guess, with the score and a hint the web app can word', (_what, password, hint) => {
    const error = refusal(password);
    expect(error.code).toBe(ErrorCode.PasswordTooWeak);
    expect(error.problems).toEqual([{ kind: 'guessable', values: { score: expect.any(Number), requiredScore: 3, hint }, message: expect.stringMatching(/too easy to guess/) }]);
    expect(error.problems[0].values!.score).toBeLessThan(3);
  });

  it('counts Khmer passwords in characters, not bytes', () => {
    const tenKhmer = 'ខ្ញុំទៅផ្សារ'; // 12 characters, 36 bytes in UTF-8
    expect([...tenKhmer]).toHaveLength(12);
    expect(Buffer.byteLength(tenKhmer)).toBe(36);
    expect(() => assertStrongPassword(tenKhmer)).not.toThrow();
    expect(kinds(tenKhmer.slice(0, 9))).toEqual(['too-short']);
    // A Khmer phrase with vowel signs and a coeng subscript: every code point counts as typed.
    expect(() => assertStrongPassword('ខ្ញុំស្រឡាញ់')).not.toThrow();
  });

  it('counts characters outside the basic plane once, not as two UTF-16 units', () => {
    expect(refusal('🙂🌧🐃🏍🌾🛶🍚🎒🔑').message).toMatch(/at least 10/);
    expect(() => assertStrongPassword('🙂🌧🐃🏍🌾🛶🍚🎒🔑🌙')).not.toThrow();
  });

  it('refuses a password longer than the maximum', () => {
    const long = 'a river of rain on the rice fields '.repeat(4).slice(0, MAX_PASSWORD_LENGTH);
    expect(() => assertStrongPassword(long)).not.toThrow();
    expect(refusal(`${long}x`).message).toMatch(/at most 128 characters/);
  });

  it('refuses a password that contains the username, whatever the case', () => {
    expect(kinds('my-sokha.ch-password', 'sokha.ch')).toEqual(['contains-username']);
    expect(refusal('MY-SOKHA.CH-PASSWORD', 'sokha.ch').message).toMatch(/Leave the username out/);
    expect(refusal('sokha.ch-2026-pass', 'SOKHA.CH').code).toBe(ErrorCode.PasswordTooWeak);
    expect(() => assertStrongPassword('a long passphrase', 'sokha.ch')).not.toThrow();
    expect(() => assertStrongPassword('a long passphrase', '')).not.toThrow();
  });

  it('names every problem in one message', () => {
    const error = refusal('sokha', 'sokha');
    expect(error.problems.map((p) => p.kind)).toEqual(['too-short', 'contains-username']);
    expect(error.message).toMatch(/at least 10 characters.*Leave the username out/);
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

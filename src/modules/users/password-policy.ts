import { HttpStatus } from '@nestjs/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { randomInt } from 'node:crypto';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { ProblemDto } from '../../common/http/error-response.dto';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
/** zxcvbn's 0-4 scale; 3 is "safely unguessable" against an online attack slowed by the sign-in limit. */
export const REQUIRED_PASSWORD_SCORE = 3;

/** Why a password was refused; the web app words each kind in Khmer and English. */
export type PasswordProblemKind = 'too-short' | 'too-long' | 'contains-username' | 'guessable' | 'same-as-current';

/** zxcvbn's warnings, grouped into the few hints the web app can word. */
const HINTS: Record<string, 'common' | 'repeated' | 'pattern' | 'date'> = {
  topTen: 'common',
  topHundred: 'common',
  common: 'common',
  similarToCommon: 'common',
  wordByItself: 'common',
  namesByThemselves: 'common',
  commonNames: 'common',
  userInputs: 'common',
  pwned: 'common',
  simpleRepeat: 'repeated',
  extendedRepeat: 'repeated',
  sequences: 'pattern',
  straightRow: 'pattern',
  keyPattern: 'pattern',
  recentYears: 'date',
  dates: 'date',
};

let estimator: ZxcvbnFactory | undefined;

/** A 400 PASSWORD_TOO_WEAK listing each problem with its kind and figures. */
export function passwordRefused(problems: (ProblemDto & { kind: PasswordProblemKind })[]): AppError {
  return new AppError(ErrorCode.PasswordTooWeak, problems.map((p) => p.message).join(' '), HttpStatus.BAD_REQUEST, {}, undefined, problems);
}

/**
 * Length bounds, no username inside, and zxcvbn's estimate of how many guesses it takes, which refuses
 * common passwords, repeats ("aaaaaaaaaa"), sequences ("1234567890") and keyboard walks.
 */
export function assertStrongPassword(password: string, username?: string): void {
  const length = [...password].length;
  const problems: (ProblemDto & { kind: PasswordProblemKind })[] = [];
  if (length < MIN_PASSWORD_LENGTH) {
    problems.push({ kind: 'too-short', values: { min: MIN_PASSWORD_LENGTH }, message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` });
  }
  if (length > MAX_PASSWORD_LENGTH) {
    problems.push({ kind: 'too-long', values: { max: MAX_PASSWORD_LENGTH }, message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` });
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({ kind: 'contains-username', message: 'Leave the username out of the password.' });
  }
  if (problems.length === 0) {
    estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
    const { score, feedback } = estimator.check(password, username ? [username] : []);
    if (score < REQUIRED_PASSWORD_SCORE) {
      const hint = (feedback.warning && HINTS[feedback.warning]) || 'guessable';
      problems.push({
        kind: 'guessable',
        values: { score, requiredScore: REQUIRED_PASSWORD_SCORE, hint },
        message: 'This password is too easy to guess. A short sentence of several words is strong and easy to remember.',
      });
    }
  }
  if (problems.length > 0) throw passwordRefused(problems);
}

// No 0/O, 1/l/I: temporary passwords are read aloud over the phone to educators.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generateTemporaryPassword(length = 14): string {
  let password = '';
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

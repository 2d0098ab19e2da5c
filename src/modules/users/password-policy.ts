import { randomInt } from 'node:crypto';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { HttpStatus } from '@nestjs/common';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

export function assertStrongPassword(password: string, username?: string): void {
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push(`at least ${MIN_PASSWORD_LENGTH} characters`);
  if ([...password].length > MAX_PASSWORD_LENGTH) problems.push(`at most ${MAX_PASSWORD_LENGTH} characters`);
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('not containing the username');
  if (problems.length > 0) {
    throw new AppError(ErrorCode.PasswordTooWeak, `Choose a password with ${problems.join(' and ')}. A short sentence is easy to remember.`, HttpStatus.BAD_REQUEST);
  }
}

// No 0/O, 1/l/I: temporary passwords are read aloud over the phone to educators.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generateTemporaryPassword(length = 14): string {
  let password = '';
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

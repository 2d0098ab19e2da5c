import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with OWASP's recommended cost; verification of an unknown user costs the same time. */
@Injectable()
export class PasswordHasher {
  private static readonly OPTIONS: argon2.HashOptions = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { ...PasswordHasher.OPTIONS, raw: false });
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    if (!hash) {
      // Spend the same effort as for a real user, so response time does not reveal which usernames exist.
      this.dummyHash ??= this.hash('not-a-real-password');
      await argon2.verify(await this.dummyHash, password);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}

import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AppError, ErrorCode } from '../../common/errors/app-error';

interface SessionClaims {
  sub: string;
  ver: number;
}

/**
 * Issues and checks signed session tokens (HS256, one fixed algorithm so "alg: none" cannot slip in), with
 * the secret the module holds (auth.module.ts).
 */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(userId: string, tokenVersion: number): Promise<{ token: string; expiresAt: Date }> {
    const ttl = this.config.auth.jwtTtlSeconds;
    const token = await this.jwt.signAsync({ sub: userId, ver: tokenVersion } satisfies SessionClaims, { algorithm: 'HS256', expiresIn: ttl });
    return { token, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  async verify(token: string): Promise<SessionClaims> {
    try {
      const claims = await this.jwt.verifyAsync<SessionClaims>(token, { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || typeof claims.ver !== 'number') throw new Error('claims missing');
      return claims;
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw new AppError(ErrorCode.SessionExpired, 'Your session has expired. Sign in again.', HttpStatus.UNAUTHORIZED);
      }
      throw new AppError(ErrorCode.InvalidToken, 'Your sign-in is not valid. Sign in again.', HttpStatus.UNAUTHORIZED);
    }
  }
}

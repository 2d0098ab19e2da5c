import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginLimiterModule } from './login-limiter';
import { SessionTokens } from './session-tokens';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // The secret as a key object, made once: given a string, jsonwebtoken first tries to read it as a PEM
      // public key and throws, on every request (about 1 ms of CPU each).
      useFactory: (config: AppConfig) => ({ secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')) }),
    }),
    UsersModule, AuditModule, LoginLimiterModule],
  controllers: [AuthController],
  providers: [AuthService, SessionTokens, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AuthService],
})
export class AuthModule {}

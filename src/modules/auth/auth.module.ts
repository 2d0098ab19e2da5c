import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginLimiterModule } from './login-limiter';
import { SessionTokens } from './session-tokens';

@Module({
  imports: [JwtModule.register({}), UsersModule, AuditModule, LoginLimiterModule],
  controllers: [AuthController],
  providers: [AuthService, SessionTokens, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AuthService],
})
export class AuthModule {}

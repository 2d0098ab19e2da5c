import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { ReqContext, RequestContext } from '../../common/http/request-context';
import { UpdateProfileDto, UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { AllowedBeforePasswordChange, AnyRole, Public, SESSION_COOKIE } from './access.decorators';
import { sessionTokenOf } from './access.guard';
import { AuthService, Session } from './auth.service';
import { AuthUser, CurrentUser } from './auth-user';
import { ChangePasswordDto, LoginDto, SessionDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Wrong username or password.' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many failed attempts; see Retry-After.' })
  async login(@Body() dto: LoginDto, @ReqContext() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<SessionDto> {
    return this.startSession(await this.auth.login(dto.username, dto.password, ctx, dto.preferredLanguage), res);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out: the session token stops working on the server too (every session of this person ends).' })
  async logout(@Req() req: Request, @ReqContext() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(sessionTokenOf(req), ctx);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @AnyRole()
  @AllowedBeforePasswordChange()
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return UserDto.from(await this.users.get(user.id));
  }

  @Patch('me')
  @AnyRole()
  @ApiOkResponse({ type: UserDto })
  async updateMe(@CurrentUser() user: AuthUser, @Body() dto: UpdateProfileDto, @ReqContext() ctx: RequestContext): Promise<UserDto> {
    return UserDto.from(await this.users.updateProfile(user, dto, ctx));
  }

  @Post('me/password')
  @AnyRole()
  @AllowedBeforePasswordChange()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto, description: 'Password changed; other sessions have ended and this one is renewed.' })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @ReqContext() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionDto> {
    return this.startSession(await this.auth.changePassword(user, dto.currentPassword, dto.newPassword, ctx), res);
  }

  private startSession(session: Session, res: Response): SessionDto {
    // HttpOnly keeps the token out of reach of page scripts; SameSite=Strict keeps other sites from using it.
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.http.secureCookies,
      path: '/',
      expires: session.expiresAt,
    });
    return { accessToken: session.token, expiresAt: session.expiresAt.toISOString(), user: UserDto.from(session.user) };
  }
}

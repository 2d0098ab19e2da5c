import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { ALL_ROLES, Role } from '../users/role';

export const ROLES_KEY = 'migra:roles';
export const PUBLIC_KEY = 'migra:public';
export const SESSION_COOKIE = 'mm_session';
export const BEFORE_PASSWORD_CHANGE_KEY = 'migra:before-password-change';

/** Open to anyone, signed in or not. Every other route must name its roles: access is denied by default. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiCookieAuth(SESSION_COOKIE),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Not signed in, or the session has ended.' }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: `Only for: ${roles.join(', ')}.` }),
  );

export const AnyRole = (): MethodDecorator & ClassDecorator => Roles(...ALL_ROLES);

/** One of the few routes open to a person who must still replace a temporary password. */
export const AllowedBeforePasswordChange = (): MethodDecorator => SetMetadata(BEFORE_PASSWORD_CHANGE_KEY, true);

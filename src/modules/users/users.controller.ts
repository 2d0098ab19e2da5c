import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { ReqContext, RequestContext } from '../../common/http/request-context';
import { Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { CreatedUserDto, CreateUserDto, TemporaryPasswordDto, UpdateUserDto, UserDto, UserPageDto, UserQueryDto } from './dto/user.dto';
import { Role } from './role';
import { UsersService } from './users.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('users')
@Controller('users')
@Roles(Role.Admin)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserPageDto })
  async list(@Query() query: UserQueryDto): Promise<UserPageDto> {
    const [users, total] = await this.users.list(query);
    return { items: users.map((u) => UserDto.from(u)), total, page: query.page, pageSize: query.pageSize };
  }

  @Post()
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The username is taken.' })
  async create(@Body() dto: CreateUserDto, @CurrentUser() actor: AuthUser, @ReqContext() ctx: RequestContext): Promise<CreatedUserDto> {
    const { user, temporaryPassword } = await this.users.createByAdmin(dto, actor, ctx);
    return { user: UserDto.from(user), temporaryPassword };
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  async get(@Param('id', uuid) id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  async update(@Param('id', uuid) id: string, @Body() dto: UpdateUserDto, @CurrentUser() actor: AuthUser, @ReqContext() ctx: RequestContext): Promise<UserDto> {
    return UserDto.from(await this.users.update(id, dto, actor, ctx));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  async deactivate(@Param('id', uuid) id: string, @CurrentUser() actor: AuthUser, @ReqContext() ctx: RequestContext): Promise<UserDto> {
    return UserDto.from(await this.users.setActive(id, false, actor, ctx));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  async reactivate(@Param('id', uuid) id: string, @CurrentUser() actor: AuthUser, @ReqContext() ctx: RequestContext): Promise<UserDto> {
    return UserDto.from(await this.users.setActive(id, true, actor, ctx));
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOkResponse({ type: TemporaryPasswordDto })
  async resetPassword(@Param('id', uuid) id: string, @CurrentUser() actor: AuthUser, @ReqContext() ctx: RequestContext): Promise<TemporaryPasswordDto> {
    return { temporaryPassword: await this.users.resetPassword(id, actor, ctx) };
  }
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { CommuneDto } from '../../places/dto/place.dto';
import { ALL_ROLES, Language, Role, UI_LANGUAGES } from '../role';
import { User } from '../user.entity';

/**
 * Letters of any script with their combining marks (Khmer vowel signs and coeng subscripts are marks),
 * digits, spaces, . ' - and ZWSP. Variation selectors, enclosing marks (keycaps) and long stacks of
 * marks are refused: they only ever come from emoji or from text built to break layouts.
 */
export const DISPLAY_NAME = /^(?!.*[\uFE00-\uFE0F])(?!.*\p{M}{4})[\p{L}\p{Mn}\p{Mc}\p{N} .'\u2019\u200B-]+$/u;
export const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

const trimNfc = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.normalize('NFC').trim().replace(/\s+/g, ' ') : value;
const lower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const DISPLAY_NAME_MESSAGE = 'displayName may contain letters (Khmer or Latin), digits, spaces, dots, apostrophes and hyphens; remove emoji and other symbols';

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'sokha.ch' }) username: string;
  @ApiProperty({ example: 'សុខា ចាន់' }) displayName: string;
  @ApiProperty({ enum: Role, enumName: 'Role' }) role: Role;
  @ApiProperty({ enum: UI_LANGUAGES }) preferredLanguage: Language;
  @ApiProperty() active: boolean;
  @ApiProperty() mustChangePassword: boolean;
  @ApiProperty({ type: CommuneDto, nullable: true }) commune: CommuneDto | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastLoginAt: string | null;

  static from(u: User): UserDto {
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      preferredLanguage: u.preferredLanguage,
      active: u.active,
      mustChangePassword: u.mustChangePassword,
      commune: u.commune ? CommuneDto.from(u.commune) : null,
      createdAt: u.createdAt.toISOString(),
      lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    };
  }
}

export class CreateUserDto {
  @ApiProperty({ example: 'sokha.ch', description: '3-32 lower-case letters, digits, dots, dashes or underscores' })
  @Transform(lower)
  @IsString()
  @Matches(USERNAME, { message: 'username must be 3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit' })
  username: string;

  @ApiProperty({ example: 'សុខា ចាន់' })
  @Transform(trimNfc)
  @IsString()
  @IsNotEmpty({ message: 'displayName is required' })
  @MaxLength(80)
  @Matches(DISPLAY_NAME, { message: DISPLAY_NAME_MESSAGE })
  displayName: string;

  @ApiProperty({ enum: Role, enumName: 'Role' })
  @IsIn(ALL_ROLES, { message: `role must be one of: ${ALL_ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for educators: the commune they work in' })
  @IsOptional()
  @IsUUID('4', { message: 'communeId must be the id of a commune from GET /api/places/provinces' })
  communeId?: string;

  @ApiPropertyOptional({ enum: UI_LANGUAGES, default: 'km' })
  @IsOptional()
  @IsIn(UI_LANGUAGES)
  preferredLanguage?: Language;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trimNfc)
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  @Matches(DISPLAY_NAME, { message: DISPLAY_NAME_MESSAGE })
  displayName?: string;

  @ApiPropertyOptional({ enum: Role, enumName: 'Role' })
  @IsOptional()
  @IsIn(ALL_ROLES, { message: `role must be one of: ${ALL_ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('4', { message: 'communeId must be the id of a commune from GET /api/places/provinces' })
  communeId?: string;
}

export class UpdateProfileDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trimNfc)
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  @Matches(DISPLAY_NAME, { message: DISPLAY_NAME_MESSAGE })
  displayName?: string;

  @ApiPropertyOptional({ enum: UI_LANGUAGES })
  @IsOptional()
  @IsIn(UI_LANGUAGES, { message: 'preferredLanguage must be km or en' })
  preferredLanguage?: Language;
}

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Role, enumName: 'Role' }) @IsOptional() @IsIn(ALL_ROLES) role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ description: 'Part of a username or display name' })
  @IsOptional()
  @Type(() => String)
  @MaxLength(80)
  q?: string;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class CreatedUserDto {
  @ApiProperty({ type: UserDto }) user: UserDto;
  @ApiProperty({ description: 'Shown once; the person must choose a new password at first sign-in' }) temporaryPassword: string;
}

export class TemporaryPasswordDto {
  @ApiProperty({ description: 'Shown once; the person must choose a new password at next sign-in' }) temporaryPassword: string;
}

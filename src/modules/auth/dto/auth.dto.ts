import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Language, UI_LANGUAGES } from '../../users/role';
import { UserDto } from '../../users/dto/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'demo-educator' })
  @IsString()
  @IsNotEmpty({ message: 'username is required' })
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'a long password' })
  @IsString()
  @IsNotEmpty({ message: 'password is required' })
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({ enum: UI_LANGUAGES, description: 'The language chosen on the sign-in page; saved as the account\'s language.' })
  @IsOptional()
  @IsIn(UI_LANGUAGES, { message: 'preferredLanguage must be km or en' })
  preferredLanguage?: Language;
}

export class SessionDto {
  @ApiProperty({ description: 'Bearer token for API clients; browsers use the HttpOnly session cookie set alongside.' })
  accessToken: string;

  @ApiProperty()
  expiresAt: string;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'currentPassword is required' })
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @IsNotEmpty({ message: 'newPassword is required' })
  @MaxLength(256)
  newPassword: string;
}

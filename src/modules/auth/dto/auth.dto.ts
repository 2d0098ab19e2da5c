import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
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

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'username must be 3 to 32 letters, digits, dots, dashes or underscores.' })
  message: string;

  @ApiProperty({ example: 'VALIDATION_FAILED' })
  code: string;

  @ApiPropertyOptional({ type: [String], description: 'Each problem found, one per entry, whenever the request was checked item by item (validation, caption files).' })
  details?: string[];

  @ApiPropertyOptional({ example: '7f0c7e0e-1f7c-4f55-b1a0-0a1b7c1e8a10' })
  requestId?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One problem of a checked document (a caption file, a set of cues), for clients that word it themselves. */
export class ProblemDto {
  @ApiProperty({ example: 'overlap', description: 'What kind of problem; see the feature for the list (captions: CueProblemKind).' })
  kind: string;

  @ApiPropertyOptional({ example: 12, description: 'The line of the file it was found on (1-based).' })
  line?: number;

  @ApiPropertyOptional({ example: 3, description: 'The item it concerns (1-based).' })
  cue?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string' }] },
    example: { startMs: 4200, otherCue: 2, otherEndMs: 4500 },
    description: 'The figures the message quotes: times in ms, counts, the text found.',
  })
  values?: Record<string, number | string>;

  @ApiProperty({ description: 'The same problem in English, with what to do.' })
  message: string;
}

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

  @ApiPropertyOptional({ type: [ProblemDto], description: 'The problems of `details` with their kinds and figures, where the feature has them (caption files and cues).' })
  problems?: ProblemDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { status: 'approved' },
    description: 'The figures the message quotes (a limit, the state found), so a client can word the message itself.',
  })
  figures?: Record<string, unknown>;

  @ApiPropertyOptional({ example: '7f0c7e0e-1f7c-4f55-b1a0-0a1b7c1e8a10' })
  requestId?: string;
}

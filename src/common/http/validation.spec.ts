import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { strictValidationPipe } from './validation';

class PlaceDto {
  @IsString()
  @MinLength(2, { message: 'place.code must be at least 2 characters' })
  code: string;
}

class TestimonyInputDto {
  @IsString({ message: 'title must be text' })
  @IsNotEmpty({ message: 'title is required' })
  @MaxLength(20, { message: 'title must be at most 20 characters' })
  title: string;

  @Type(() => Number)
  @IsInt({ message: 'durationSeconds must be a whole number' })
  @Min(1, { message: 'durationSeconds must be at least 1' })
  @Max(600, { message: 'durationSeconds must be at most 600' })
  durationSeconds: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => PlaceDto)
  place?: PlaceDto;
}

const body: ArgumentMetadata = { type: 'body', metatype: TestimonyInputDto };

async function messagesFor(value: unknown): Promise<string[]> {
  try {
    await strictValidationPipe().transform(value, body);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    const response = (error as BadRequestException).getResponse() as { statusCode: number; message: string[] };
    expect(response.statusCode).toBe(400);
    return response.message;
  }
  throw new Error(`the pipe accepted ${JSON.stringify(value)}`);
}

describe('strictValidationPipe', () => {
  it('passes a valid body through as an instance of the DTO, converting types', async () => {
    const result = await strictValidationPipe().transform({ title: 'ទីបន្ទាល់', durationSeconds: '42', place: { code: '0102' } }, body);
    expect(result).toBeInstanceOf(TestimonyInputDto);
    expect(result).toEqual({ title: 'ទីបន្ទាល់', durationSeconds: 42, place: { code: '0102' } });
    expect(result.place).toBeInstanceOf(PlaceDto);
  });

  it('refuses an unknown field instead of dropping it silently, and says what to do', async () => {
    expect(await messagesFor({ title: 'ok', durationSeconds: 5, x: 1 })).toEqual(['Unknown field "x": remove it']);
  });

  it('names an unknown field inside a nested object by its full path', async () => {
    expect(await messagesFor({ title: 'ok', durationSeconds: 5, place: { code: '0102', isAdmin: true } })).toEqual([
      'Unknown field "place.isAdmin": remove it',
    ]);
  });

  it('reports every problem at once, one plain sentence per field', async () => {
    const messages = await messagesFor({ title: 'x'.repeat(21), durationSeconds: 0, place: { code: 'a' }, role: 'admin', x: 1 });

    expect(messages).toEqual(
      expect.arrayContaining([
        'title must be at most 20 characters',
        'durationSeconds must be at least 1',
        'place.code must be at least 2 characters',
        'Unknown field "role": remove it',
        'Unknown field "x": remove it',
      ]),
    );
    expect(messages).toHaveLength(5);
  });

  it('says a missing field is required rather than quoting a rule about its length', async () => {
    expect(await messagesFor({ durationSeconds: 5 })).toEqual(['title is required']);
    expect(await messagesFor({ title: '', durationSeconds: 5 })).toEqual(['title is required']);
    expect(await messagesFor({ title: null, durationSeconds: 5 })).toEqual(['title is required']);
  });

  it('gives one message per field: for a value of the wrong type, the type, not every range it breaks', async () => {
    expect(await messagesFor({ title: 'ok', durationSeconds: 'many' })).toEqual(['durationSeconds must be a whole number']);
    expect(await messagesFor({ title: 42, durationSeconds: 5 })).toEqual(['title must be text']);
  });

  it('still reports the specific rule when the value has the right type', async () => {
    expect(await messagesFor({ title: 'ok', durationSeconds: 601 })).toEqual(['durationSeconds must be at most 600']);
  });
});

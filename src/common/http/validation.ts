import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function messagesOf(error: ValidationError, path = ''): string[] {
  const field = path ? `${path}.${error.property}` : error.property;
  const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
    rule === 'whitelistValidation' ? `Unknown field "${field}": remove it` : message,
  );
  return [...own, ...(error.children ?? []).flatMap((child) => messagesOf(child, field))];
}

/**
 * Strict input: unknown fields are refused (not silently dropped), so a client with a typo learns of it.
 * Every problem is reported at once, each as a plain sentence.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new BadRequestException(errors.flatMap((e) => messagesOf(e))),
  });
}

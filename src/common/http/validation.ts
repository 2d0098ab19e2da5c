import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

const MISSING_CHECKS = ['isDefined', 'isNotEmpty'];
const TYPE_CHECKS = ['isString', 'isInt', 'isNumber', 'isBoolean'];

/**
 * One sentence per field. When a value breaks several rules, the basic one is the one worth telling:
 * "username is required" rather than "must be shorter than 64 characters" for a missing username,
 * "must be a whole number" rather than a range for "many".
 */
function messageOf(error: ValidationError, constraints: Record<string, string>): string | undefined {
  const missing = error.value === undefined || error.value === null || error.value === '';
  const rule =
    MISSING_CHECKS.find((name) => name in constraints) ??
    (missing ? undefined : TYPE_CHECKS.find((name) => name in constraints)) ??
    Object.keys(constraints)[0];
  return rule ? constraints[rule] : undefined;
}

function messagesOf(error: ValidationError, path = ''): string[] {
  const field = path ? `${path}.${error.property}` : error.property;
  const { whitelistValidation, ...constraints } = error.constraints ?? {};
  const own = whitelistValidation !== undefined ? `Unknown field "${field}": remove it` : messageOf(error, constraints);
  return [...(own ? [own] : []), ...(error.children ?? []).flatMap((child) => messagesOf(child, field))];
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
    exceptionFactory: (errors) => new BadRequestException(errors.flatMap((e) => messagesOf(e))),
  });
}

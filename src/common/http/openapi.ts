import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../../modules/auth/access.decorators';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Migra Media API')
    .setDescription(
      'Testimony uploads, processing, review and publishing for the Migra Action campaign. ' +
        'Sign in with POST /api/auth/login; browsers then use the session cookie, other clients the bearer token. ' +
        'Errors are { statusCode, error, message, code }.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addCookieAuth(SESSION_COOKIE)
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

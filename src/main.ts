import 'reflect-metadata';
import { createApiApp } from './api-app';
import { ConfigValidationError, loadConfig } from './config/app-config';
import { explainStartupFailure } from './common/startup-failure';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.http.port);
  app.getHttpServer().keepAliveTimeout = 65_000;
  console.log(`Migra Media API is ready at ${config.http.publicUrl} (listening on port ${config.http.port})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : explainStartupFailure('API', error));
  process.exit(1);
});

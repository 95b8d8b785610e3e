import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppModule } from './app.module';
import { createOpenApiDocument } from './bootstrap/swagger';

/**
 * Writes the OpenAPI document without starting anything: preview mode builds the route table but
 * runs no providers, so no database or Razorpay is needed. Used by `npm run openapi`.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix('api');
  const document = createOpenApiDocument(app);
  writeFileSync(process.argv[2] ?? 'openapi.json', `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(
    `OpenAPI generation failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});

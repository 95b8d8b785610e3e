import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document of every route; also what the storefront's API types are generated from. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Razorpay shop API')
    .setDescription(
      'Catalog, accounts, orders, Razorpay payment verification, webhooks, refunds and reconciliation. ' +
        'Money is integer paise. Errors are `{statusCode, error, message}`. Sign in with POST /api/auth/login ' +
        'and paste the accessToken into Authorize.',
    )
    .setVersion('1.0')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with bearer auth for operators. */
export function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

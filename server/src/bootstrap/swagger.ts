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
  return withErrorResponses(SwaggerModule.createDocument(app, config));
}

/** Every route answers errors with the same body; say so once for all of them. */
function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    ErrorBody: {
      type: 'object',
      required: ['statusCode', 'error', 'message'],
      properties: {
        statusCode: { type: 'integer', example: 400 },
        error: { type: 'string', example: 'Bad Request' },
        message: { type: 'string', example: 'property price should not exist' },
        code: { type: 'string', example: 'VALIDATION_FAILED' },
      },
    },
  };
  const errorResponse = {
    description:
      'Error: 400 invalid input, 401 no or bad credentials, 403 wrong role, 404 not found, ' +
      '409 conflict, 429 rate limited, 502/503 Razorpay or the database failed',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
  };
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      const responses = (operation as { responses?: Record<string, unknown> }).responses;
      if (responses) responses.default ??= errorResponse;
    }
  }
  return document;
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with bearer auth for operators. */
export function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with bearer auth for operators. */
export function setUpSwagger(app: INestApplication): void {
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
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

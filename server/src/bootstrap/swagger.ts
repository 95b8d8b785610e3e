import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI's Authorize dialog signs in with this form-encoded endpoint (OAuth2 password flow). */
export const TOKEN_URL = '/api/auth/token';

/** Operator routes, grouped by what an operator is doing, listed before the public API. */
const OPERATOR_TAGS: {
  name: string;
  description: string;
  matches: (path: string, method: string) => boolean;
}[] = [
  {
    name: 'operators: catalog',
    description: 'Add, edit and archive products; adjust stock.',
    matches: (path, method) => path.startsWith('/api/products') && method !== 'get',
  },
  {
    name: 'operators: orders and refunds',
    description:
      'Find orders (by number, status, email, date), see their payments, refund, reconcile.',
    matches: (path) => path.startsWith('/api/admin/orders') || path === '/api/admin/reconcile',
  },
  {
    name: 'operators: mail',
    description: 'The outbox of order mail: what was sent, what is retrying, resend.',
    matches: (path) => path.startsWith('/api/admin/outbox') || path === '/api/admin/mail-catcher',
  },
  {
    name: 'operators: webhooks',
    description: 'Razorpay webhook events as received, and replay.',
    matches: (path) => path.startsWith('/api/admin/webhook'),
  },
  {
    name: 'operators: other',
    description: 'Everything else only operators may call.',
    matches: (path) => path.startsWith('/api/admin'),
  },
];

/** The OpenAPI document of every route; also what the storefront's API types are generated from. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Razorpay shop API')
    .setDescription(
      'Catalog, accounts, orders, Razorpay payment verification, webhooks, refunds and reconciliation. ' +
        'Money is integer paise. Errors are `{statusCode, error, message}`. Operators: press ' +
        '**Authorize**, and under *oauth2 (OAuth2, password)* enter your email and password ' +
        '(client id and secret stay empty); the sign-in is kept across reloads. A token from ' +
        'POST /api/auth/login pasted under *bearer* works too.',
    )
    .setVersion('1.0')
    .addBearerAuth()
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Sign in with your shop account (operators: the admin account).',
        flows: { password: { tokenUrl: TOKEN_URL, scopes: {} } },
      },
      'oauth2',
    )
    .build();
  return withOperatorTags(
    withOAuth2(withErrorResponses(SwaggerModule.createDocument(app, config))),
  );
}

type Operation = {
  tags?: string[];
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
};

function operations(document: OpenAPIObject): [string, string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(
      ([method, op]) => [path, method, op] as [string, string, Operation],
    ),
  );
}

/** Wherever a bearer token is accepted, the token from the Authorize dialog's sign-in is too. */
function withOAuth2(document: OpenAPIObject): OpenAPIObject {
  for (const [, , op] of operations(document)) {
    if (op.security?.some((s) => 'bearer' in s) && !op.security.some((s) => 'oauth2' in s))
      op.security.push({ oauth2: [] });
  }
  return document;
}

function withOperatorTags(document: OpenAPIObject): OpenAPIObject {
  const used = new Set<string>();
  for (const [path, method, op] of operations(document)) {
    const tag = OPERATOR_TAGS.find((t) => t.matches(path, method));
    if (!tag) continue;
    op.tags = [tag.name];
    used.add(tag.name);
  }
  document.tags = [
    ...OPERATOR_TAGS.filter((t) => used.has(t.name)).map(({ name, description }) => ({
      name,
      description,
    })),
    ...(document.tags ?? []).filter((t) => !used.has(t.name)),
  ];
  return document;
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
  for (const [, , op] of operations(document)) {
    if (op.responses) op.responses.default ??= errorResponse;
  }
  return document;
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with sign-in for operators. */
export function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Razorpay shop API: operators',
    swaggerOptions: {
      // The sign-in (and its token) survive reloads of /docs.
      persistAuthorization: true,
      displayRequestDuration: true,
    },
  });
}

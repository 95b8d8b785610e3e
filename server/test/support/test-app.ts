import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { testDatabaseUri } from './test-database';

export const ADMIN = { email: 'operator@test.local', password: 'operator-password-1' };
/** Bearer token for GET /api/metrics in every e2e app. */
export const METRICS_TOKEN = 'e2e-metrics-token-0123456789';

/** Settings every e2e app gets: fast sandbox retries, no background reconciler, quiet logs. */
const TEST_ENV: Record<string, string> = {
  RAZORPAY_MODE: 'sandbox',
  SANDBOX_TIME_SCALE: '0.0005',
  RECONCILE_INTERVAL_SECONDS: '0',
  RECONCILE_AFTER_SECONDS: '0',
  RATE_LIMIT_AUTH_PER_MINUTE: '10000',
  RATE_LIMIT_ORDERS_PER_MINUTE: '10000',
  SEED_DEMO_PRODUCTS: 'false',
  LOG_LEVEL: 'error',
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  JWT_SECRET: 'e2e-jwt-secret-0123456789abcdef',
  METRICS_TOKEN,
};

export interface TestApp {
  app: NestExpressApplication;
  origin: string;
  http: ReturnType<typeof request>;
  /** Resolves a provider by class name (so test files need not import server internals). */
  get<T>(token: string): T;
  close(): Promise<void>;
}

/**
 * Boots the real AppModule on a real port against its own database and the mounted sandbox.
 * ConfigModule validates the environment when AppModule is first imported, so the env is set
 * before that import: one app per test file (Jest gives every file its own module registry).
 */
export async function startTestApp(
  name: string,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const previous = { ...process.env };
  Object.assign(process.env, TEST_ENV, { MONGODB_URI: testDatabaseUri(name) }, env);
  const factory = await import('../../src/bootstrap/app-factory');
  const app = await factory.createApp();
  const origin = await factory.listen(app, 0, '127.0.0.1');
  const registry: Record<string, unknown> = {
    ReconcilerService: (await import('../../src/payments/reconciler.service')).ReconcilerService,
    SandboxHost: (await import('../../src/sandbox-host/sandbox-host')).SandboxHost,
  };
  process.env = previous;
  return {
    app,
    origin,
    http: request(origin),
    get: <T>(token: string) => app.get(registry[token] as new () => T),
    close: async () => {
      const connection = app.get<{ db?: { dropDatabase(): Promise<unknown> } }>(
        getConnectionToken(),
      );
      await connection.db?.dropDatabase().catch(() => undefined);
      await app.close();
    },
  };
}

function getConnectionToken(): string {
  return 'DatabaseConnection';
}

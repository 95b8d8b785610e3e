import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import {
  createRazorpaySandbox,
  SANDBOX_DEFAULT_CREDENTIALS,
  SANDBOX_MOUNT_PATH,
  type RazorpaySandbox,
} from '../../../../sandbox/src';
import { ADMIN } from '../test-app';
import { testDatabaseUri } from '../test-database';

/** The settings startTestApp gives every e2e app (copied: test-app.ts does not export them). */
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
};

/** How long the shop waits for Razorpay in these tests: short, so "Razorpay is down" costs little. */
export const RAZORPAY_TIMEOUT_MS = 1500;

export type Method = 'get' | 'post' | 'put' | 'delete';

/**
 * The real shop (AppModule on a real port, its own database) talking over HTTP to a Razorpay
 * sandbox that runs on a port of its own, so the sandbox (Razorpay's state) outlives restarts of
 * the shop. The mounted sandbox of the shop stays idle: RAZORPAY_API_BASE_URL points elsewhere.
 */
export interface PropertyStack {
  /** The shop, e.g. http://127.0.0.1:PORT (changes only if the port could not be reused). */
  readonly origin: string;
  readonly sandboxOrigin: string;
  http(): ReturnType<typeof request>;
  /** A call to the sandbox (API or /_sandbox controls), Basic auth with the test key. */
  sandbox(method: Method, path: string): request.Test;
  /** A provider of the running app, by class name (only ReconcilerService is registered). */
  get<T>(token: 'ReconcilerService'): T;
  /** Stops the shop and starts it again on the same database (nothing dropped). */
  restart(): Promise<void>;
  readonly restarts: number;
  /** Drops the database and stops both servers. */
  close(): Promise<void>;
}

interface Factory {
  createApp(): Promise<NestExpressApplication>;
  listen(app: NestExpressApplication, port: number, host?: string): Promise<string>;
}

export async function startPropertyStack(
  name: string,
  env: Record<string, string> = {},
): Promise<PropertyStack> {
  const credentials = SANDBOX_DEFAULT_CREDENTIALS;
  const sandbox: RazorpaySandbox = createRazorpaySandbox({
    keyId: credentials.keyId,
    keySecret: credentials.keySecret,
    webhookSecret: credentials.webhookSecret,
    timeScale: Number(TEST_ENV.SANDBOX_TIME_SCALE),
  });
  const sandboxApp = express();
  sandboxApp.disable('x-powered-by');
  sandboxApp.use(SANDBOX_MOUNT_PATH, sandbox.router);
  const sandboxServer: Server = await new Promise((resolve) => {
    const server = sandboxApp.listen(0, '127.0.0.1', () => resolve(server));
  });
  const sandboxOrigin = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;

  const appEnv: Record<string, string> = {
    ...TEST_ENV,
    MONGODB_URI: testDatabaseUri(name),
    RAZORPAY_API_BASE_URL: `${sandboxOrigin}${SANDBOX_MOUNT_PATH}`,
    RAZORPAY_TIMEOUT_MS: String(RAZORPAY_TIMEOUT_MS),
    AUTO_REFUND_LATE_PAYMENTS: 'true',
    ...env,
  };
  // ConfigModule validates the environment when AppModule is first imported: set it first. The
  // same validated configuration (same database) then serves every restart in this test file.
  const withEnv = async <T>(run: () => Promise<T>): Promise<T> => {
    const previous = { ...process.env };
    Object.assign(process.env, appEnv);
    try {
      return await run();
    } finally {
      process.env = previous;
    }
  };
  const stopSandbox = async () => {
    await sandbox.close();
    sandboxServer.closeAllConnections();
    await new Promise<void>((resolve) => sandboxServer.close(() => resolve()));
  };
  let factory: Factory;
  let ReconcilerService: new (...args: never[]) => unknown;
  try {
    factory = await withEnv(() => import('../../../src/bootstrap/app-factory'));
    ({ ReconcilerService } = await import('../../../src/payments/reconciler.service'));
  } catch (error) {
    await stopSandbox();
    throw error;
  }

  let app: NestExpressApplication;
  let origin = '';
  let restarts = 0;
  const boot = async (port: number) => {
    app = await withEnv(() => factory.createApp());
    try {
      origin = await factory.listen(app, port, '127.0.0.1');
    } catch (error) {
      if (port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      await app.close();
      app = await withEnv(() => factory.createApp());
      origin = await factory.listen(app, 0, '127.0.0.1');
    }
    sandbox.setWebhookUrl(`${origin}/api/webhooks/razorpay`);
  };
  try {
    await boot(0);
  } catch (error) {
    await stopSandbox();
    throw error;
  }

  const sandboxCall = (method: Method, path: string) => {
    const agent = request(sandboxOrigin);
    return agent[method](`${SANDBOX_MOUNT_PATH}${path}`).auth(
      credentials.keyId,
      credentials.keySecret,
    );
  };

  return {
    get origin() {
      return origin;
    },
    sandboxOrigin,
    http: () => request(origin),
    sandbox: sandboxCall,
    get: <T>(token: 'ReconcilerService') => {
      if (token !== 'ReconcilerService') throw new Error(`unknown provider ${String(token)}`);
      return app.get(ReconcilerService) as T;
    },
    get restarts() {
      return restarts;
    },
    restart: async () => {
      const port = Number(new URL(origin).port);
      await app.close();
      restarts++;
      await boot(port);
    },
    close: async () => {
      const connection = app.get<{ db?: { dropDatabase(): Promise<unknown> } }>(
        'DatabaseConnection',
      );
      await connection.db?.dropDatabase().catch(() => undefined);
      await app.close();
      await stopSandbox();
    },
  };
}

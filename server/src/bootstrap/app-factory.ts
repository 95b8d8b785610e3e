import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { AppModule } from '../app.module';
import { AllExceptionsFilter } from '../common/all-exceptions.filter';
import { findRepoRoot } from '../database/launcher';
import { AppConfig } from '../config/app-config';
import { SandboxHost } from '../sandbox-host/sandbox-host';
import { ServerRenderer } from '../storefront/server-renderer';
import { serveStorefront } from '../storefront/storefront';
import { setUpSwagger } from './swagger';

/** Creates the app exactly as production runs it; main.ts and the e2e tests both use this. */
export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    rawBody: true,
    bodyParser: false,
    // Start-up lines wait for the pino logger (LoggerModule), so every line is JSON and redacted.
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  configureApp(app);
  return app;
}

export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  const limit = config.get('BODY_LIMIT');
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy(config.isSandbox) } }),
  );
  const origins = config
    .get('CORS_ORIGINS')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: false });
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  setUpSwagger(app);
  app.get(SandboxHost).mount(app);
  const client = join(findRepoRoot(), 'dist', 'client');
  const renderer = new ServerRenderer(join(client, 'server'));
  serveStorefront(app, join(client, 'browser'), renderer);
}

/** Listens, then tells the sandbox (if mounted) where this server is. Returns the origin. */
export async function listen(
  app: NestExpressApplication,
  port: number,
  host = '0.0.0.0',
): Promise<string> {
  await app.listen(port, host);
  const address = app.getHttpServer().address() as { port: number };
  const origin = `http://127.0.0.1:${address.port}`;
  app.get(SandboxHost).wire(origin);
  return origin;
}

function contentSecurityPolicy(sandbox: boolean): Record<string, string[]> {
  const razorpay = sandbox ? [] : ['https://checkout.razorpay.com', 'https://api.razorpay.com'];
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...razorpay],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'https:'],
    connectSrc: ["'self'", ...razorpay],
    frameSrc: ["'self'", ...razorpay],
  };
}

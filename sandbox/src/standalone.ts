import express from 'express';
import {
  createRazorpaySandbox,
  SANDBOX_DEFAULT_KEY_ID,
  SANDBOX_DEFAULT_KEY_SECRET,
  SANDBOX_DEFAULT_PORT,
  SANDBOX_DEFAULT_WEBHOOK_SECRET,
  SANDBOX_MOUNT_PATH,
  sandboxSettingsFromEnv,
} from './index';

function timeScaleFromEnv(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new Error(`SANDBOX_TIME_SCALE=${JSON.stringify(raw)} is invalid: a positive number`);
  }
  return value;
}

/** `npm run sandbox`: the sandbox on its own port, configured from the environment. */
function main(): void {
  const env = process.env;
  const port = Number(env.SANDBOX_PORT ?? SANDBOX_DEFAULT_PORT);
  const sandbox = createRazorpaySandbox({
    keyId: env.RAZORPAY_KEY_ID || SANDBOX_DEFAULT_KEY_ID,
    keySecret: env.RAZORPAY_KEY_SECRET || SANDBOX_DEFAULT_KEY_SECRET,
    webhookSecret: env.RAZORPAY_WEBHOOK_SECRET || SANDBOX_DEFAULT_WEBHOOK_SECRET,
    webhookUrl: env.SANDBOX_WEBHOOK_URL || undefined,
    timeScale: timeScaleFromEnv(env.SANDBOX_TIME_SCALE),
    settings: sandboxSettingsFromEnv(env),
    log: (line) => console.log(line),
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(SANDBOX_MOUNT_PATH, sandbox.router);
  const server = app.listen(port, () => {
    console.log(`[razorpay-sandbox] listening on http://127.0.0.1:${port}${SANDBOX_MOUNT_PATH}`);
    console.log(
      `[razorpay-sandbox] checkout.js: http://127.0.0.1:${port}${SANDBOX_MOUNT_PATH}/checkout.js`,
    );
    if (!env.SANDBOX_WEBHOOK_URL) {
      console.log('[razorpay-sandbox] no SANDBOX_WEBHOOK_URL: set one with PUT /_sandbox/endpoint');
    }
  });
  const stop = () => {
    void sandbox.close().then(() => server.close(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

try {
  main();
} catch (err) {
  console.error(`[razorpay-sandbox] ${(err as Error).message}`);
  process.exit(1);
}

import http from 'node:http';
import express from 'express';
import helmet from 'helmet';
import { createRazorpaySandbox, type RazorpaySandbox, type RazorpaySandboxOptions } from '../src';
import { KEY_ID, KEY_SECRET, WEBHOOK_SECRET, listen, closeServer, sdk } from './helpers';

export interface ShopHost {
  sandbox: RazorpaySandbox;
  origin: string;
  base: string;
  rzp: ReturnType<typeof sdk>;
  stop(): Promise<void>;
}

type RawRequest = http.IncomingMessage & { rawBody?: Buffer };
const keepRaw = (req: RawRequest, _res: unknown, buf: Buffer) => {
  req.rawBody = buf;
};

/**
 * Hosts the sandbox like the shop does. NestJS 12 is ESM-only and cannot load under ts-jest's
 * CommonJS, so this reproduces what `NestFactory.create(AppModule, { rawBody: true })` installs:
 * global json + urlencoded parsers with a rawBody `verify` hook, then helmet's default CSP.
 */
export async function startShopHost(
  opts: Partial<RazorpaySandboxOptions> = {},
  extra?: (app: express.Express) => void,
): Promise<ShopHost> {
  const sandbox = createRazorpaySandbox({
    keyId: KEY_ID,
    keySecret: KEY_SECRET,
    webhookSecret: WEBHOOK_SECRET,
    timeScale: 0.001,
    maxDeliveryAttempts: 4,
    ...opts,
  });
  const app = express();
  app.use(express.json({ verify: keepRaw }));
  app.use(express.urlencoded({ extended: true, verify: keepRaw }));
  app.use(helmet());
  extra?.(app);
  app.use('/sandbox/razorpay', sandbox.router);
  const server = http.createServer(app);
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  const base = `${origin}/sandbox/razorpay`;
  return {
    sandbox,
    origin,
    base,
    rzp: sdk(base),
    stop: async () => {
      await sandbox.close();
      await closeServer(server);
    },
  };
}

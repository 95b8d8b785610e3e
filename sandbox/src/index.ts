import type { Response, Router } from 'express';
import { DEFAULT_DELIVERY_TIMEOUT_MS, DEFAULT_MAX_DELIVERY_ATTEMPTS } from './defaults';
import { SandboxEngine } from './engine';
import { buildRouter } from './router';

export {
  SANDBOX_DEFAULT_CREDENTIALS,
  SANDBOX_DEFAULT_KEY_ID,
  SANDBOX_DEFAULT_KEY_SECRET,
  SANDBOX_DEFAULT_WEBHOOK_SECRET,
  SANDBOX_DEFAULT_PORT,
  SANDBOX_MOUNT_PATH,
} from './defaults';

export interface RazorpaySandboxOptions {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  /** Where events are delivered; settable later. */
  webhookUrl?: string;
  /** Multiplies webhook retry backoff delays; tests use e.g. 0.001. */
  timeScale?: number;
  /** Then the endpoint is disabled (like Razorpay after 24 h). */
  maxDeliveryAttempts?: number;
  /** Default 5000. */
  deliveryTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RazorpaySandbox {
  /** Serves everything under its mount point (/sandbox/razorpay in the shop). */
  readonly router: import('express').Router;
  setWebhookUrl(url: string): void;
  /** Stop timers / pending deliveries. */
  close(): Promise<void>;
}

/** A stateful, in-memory Razorpay: `/v1` API, checkout.js, signed webhooks and `/_sandbox` controls. */
export function createRazorpaySandbox(options: RazorpaySandboxOptions): RazorpaySandbox {
  const log = options.log ?? (() => undefined);
  const engine = new SandboxEngine(options.keySecret, {
    secret: options.webhookSecret,
    timeScale: options.timeScale ?? 1,
    maxAttempts: options.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS,
    timeoutMs: options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    log,
  });
  if (options.webhookUrl) engine.webhooks.setEndpoint({ url: options.webhookUrl });
  const hanging = new Set<Response>();
  const router: Router = buildRouter({
    engine,
    keyId: options.keyId,
    keySecret: options.keySecret,
    hanging,
    log,
  });
  return {
    router,
    setWebhookUrl: (url) => void engine.webhooks.setEndpoint({ url }),
    close: async () => {
      engine.close();
      // Hung requests were never going to be answered; drop their sockets.
      hanging.forEach((res) => res.socket?.destroy());
      hanging.clear();
    },
  };
}

import type { Response, Router } from 'express';
import { DEFAULT_DELIVERY_TIMEOUT_MS, DEFAULT_MAX_DELIVERY_ATTEMPTS } from './defaults';
import { SandboxEngine } from './engine';
import { buildRouter } from './router';
import { defaultSettings, randomSeed, updateSettings, type SandboxSettings } from './settings';

export { sandboxSettingsFromEnv, defaultSettings, type SandboxSettings } from './settings';
export { EFFECT_KINDS, type EffectKind, type EffectInfo } from './scheduler';
import type { EffectInfo, EffectKind } from './scheduler';

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
  /**
   * Overrides of the Razorpay-like defaults (also what `/_sandbox/reset` returns to). Without a
   * `deliverySeed` a random one is chosen and logged; `GET /_sandbox/settings` shows it.
   */
  settings?: Partial<SandboxSettings>;
  log?: (line: string) => void;
}

export interface RazorpaySandbox {
  /** Serves everything under its mount point (/sandbox/razorpay in the shop). */
  readonly router: import('express').Router;
  setWebhookUrl(url: string): void;
  /** What `POST /_sandbox/flush` does, in process: runs scheduled effects now (see docs). */
  flush(kinds?: EffectKind[]): Promise<{ ran: EffectInfo[]; count: number; pending: EffectInfo[] }>;
  /** The current settings (a copy); `PUT /_sandbox/settings` changes them. */
  settings(): SandboxSettings;
  /** Stop timers / pending deliveries. */
  close(): Promise<void>;
}

/** A stateful, in-memory Razorpay: `/v1` API, checkout.js, signed webhooks and `/_sandbox` controls. */
export function createRazorpaySandbox(options: RazorpaySandboxOptions): RazorpaySandbox {
  const log = options.log ?? (() => undefined);
  const timeScale = options.timeScale ?? 1;
  if (!(typeof timeScale === 'number' && timeScale > 0 && Number.isFinite(timeScale))) {
    throw new Error(`timeScale must be a positive number (got ${String(timeScale)})`);
  }
  let settings: SandboxSettings;
  try {
    settings = updateSettings(
      { ...defaultSettings(), deliverySeed: randomSeed() },
      options.settings ?? {},
    );
  } catch (err) {
    throw new Error(`invalid sandbox settings: ${(err as Error).message}`);
  }
  log(
    `[razorpay-sandbox] delivery profile ${settings.deliveryProfile}, seed ${settings.deliverySeed}, ` +
      `capture after ${settings.captureDelayMs} ms, refunds after ${settings.refundProcessDelayMs} ms`,
  );
  const engine = new SandboxEngine(
    options.keySecret,
    {
      secret: options.webhookSecret,
      timeScale,
      maxAttempts: options.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS,
      timeoutMs: options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
      log,
    },
    settings,
  );
  if (options.webhookUrl) engine.webhooks.setEndpoint({ url: options.webhookUrl });
  const hanging = new Set<Response>();
  const delayed = new Set<NodeJS.Timeout>();
  const router: Router = buildRouter({
    engine,
    keyId: options.keyId,
    keySecret: options.keySecret,
    hanging,
    delayed,
    log,
  });
  return {
    router,
    setWebhookUrl: (url) => void engine.webhooks.setEndpoint({ url }),
    flush: (kinds) => engine.flush(kinds),
    settings: () => ({ ...engine.settings }),
    close: async () => {
      engine.close();
      delayed.forEach((t) => clearTimeout(t));
      delayed.clear();
      // Hung requests were never going to be answered; drop their sockets.
      hanging.forEach((res) => res.socket?.destroy());
      hanging.clear();
    },
  };
}

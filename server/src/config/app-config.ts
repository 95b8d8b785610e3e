import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env, RazorpayMode } from './env.validation';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../../sandbox/src';

export interface RazorpayCredentials {
  keyId: string;
  keySecret: string;
  /** The secret new webhooks are signed with (the sandbox signs with it). */
  webhookSecret: string;
  /** Every secret a webhook may be signed with: during a rotation Razorpay keeps signing retries of older events with the old one. */
  webhookSecrets: string[];
}

const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production';

/** Typed, resolved configuration: the one place that knows the defaults that depend on the mode. */
@Injectable()
export class AppConfig {
  constructor(private readonly config: ConfigService<Env, true>) {}

  get<K extends keyof Env>(key: K): Env[K] {
    return this.config.get(key, { infer: true });
  }

  get razorpayMode(): RazorpayMode {
    return this.get('RAZORPAY_MODE');
  }

  get isSandbox(): boolean {
    return this.razorpayMode === 'sandbox';
  }

  /** In sandbox mode every Razorpay variable has a working default; live mode requires them (validated). */
  get razorpay(): RazorpayCredentials {
    const webhookSecrets = (
      this.get('RAZORPAY_WEBHOOK_SECRET') ?? SANDBOX_DEFAULT_CREDENTIALS.webhookSecret
    )
      .split(',')
      .map((secret) => secret.trim())
      .filter(Boolean);
    return {
      keyId: this.get('RAZORPAY_KEY_ID') ?? SANDBOX_DEFAULT_CREDENTIALS.keyId,
      keySecret: this.get('RAZORPAY_KEY_SECRET') ?? SANDBOX_DEFAULT_CREDENTIALS.keySecret,
      webhookSecret: webhookSecrets[0],
      webhookSecrets,
    };
  }

  get checkoutScriptUrl(): string {
    return this.isSandbox
      ? '/sandbox/razorpay/checkout.js'
      : 'https://checkout.razorpay.com/v1/checkout.js';
  }

  get jwtSecret(): string {
    return this.get('JWT_SECRET') ?? DEV_JWT_SECRET;
  }

  get orderTtlMs(): number {
    return this.get('ORDER_TTL_MINUTES') * 60_000;
  }
}

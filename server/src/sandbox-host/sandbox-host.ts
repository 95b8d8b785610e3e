import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import {
  createRazorpaySandbox,
  RazorpaySandbox,
  SANDBOX_MOUNT_PATH,
  sandboxSettingsFromEnv,
} from '../../../sandbox/src';
import { AppConfig } from '../config/app-config';
import { RazorpayService } from '../razorpay/razorpay.service';

/**
 * Mounts the Razorpay sandbox (RAZORPAY_MODE=sandbox) under /sandbox/razorpay and, once the server
 * knows its own origin, points the SDK at it and has it deliver webhooks back to this server.
 */
@Injectable()
export class SandboxHost implements OnApplicationShutdown {
  private readonly logger = new Logger('RazorpaySandbox');
  private sandbox?: RazorpaySandbox;

  constructor(
    private readonly config: AppConfig,
    private readonly razorpay: RazorpayService,
  ) {}

  mount(app: INestApplication): void {
    if (!this.config.isSandbox) return;
    const { keyId, keySecret, webhookSecret } = this.config.razorpay;
    this.sandbox = createRazorpaySandbox({
      keyId,
      keySecret,
      webhookSecret,
      timeScale: this.config.get('SANDBOX_TIME_SCALE'),
      // Razorpay-like by default (asynchronous capture, pending refunds, duplicated and reordered
      // deliveries); SANDBOX_* variables tune it, the same ones the standalone sandbox reads.
      settings: sandboxSettingsFromEnv(process.env),
      log: (line) => this.logger.log(line),
    });
    app.use(SANDBOX_MOUNT_PATH, this.sandbox.router);
  }

  /** Called after listen(): the port may have been chosen by the OS (tests listen on port 0). */
  wire(origin: string): void {
    if (!this.sandbox) return;
    if (!this.config.get('RAZORPAY_API_BASE_URL'))
      this.razorpay.useBaseUrl(`${origin}${SANDBOX_MOUNT_PATH}`);
    this.sandbox.setWebhookUrl(
      this.config.get('SANDBOX_WEBHOOK_URL') ?? `${origin}/api/webhooks/razorpay`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sandbox?.close();
  }
}

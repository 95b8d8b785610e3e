import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ReconcilerService } from './reconciler.service';

/** Runs the reconciler every RECONCILE_INTERVAL_SECONDS (0 turns it off); one run at a time per process. */
@Injectable()
export class ReconcilerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly reconciler: ReconcilerService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.get('RECONCILE_INTERVAL_SECONDS');
    if (seconds === 0) return;
    this.timer = setInterval(() => this.tick(), seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.reconciler
      .runOnce()
      .catch((error: unknown) =>
        this.logger.error(`reconciler run failed: ${(error as Error).message}`),
      )
      .finally(() => (this.running = undefined));
  }
}

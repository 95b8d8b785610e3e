import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { OrdersRepository } from '../orders/orders.repository';

/** A scrape within this long of the last count reuses it: scrapes never scan orders each time. */
export const ORDER_GAUGE_TTL_MS = 15_000;

/**
 * Keeps the `shop_orders{status}` gauge of open orders fresh enough, counting at most once per TTL however
 * often and however many scrapers ask; concurrent scrapes share one count. When the count
 * fails (database down) the previous values stay and the scrape still answers.
 */
@Injectable()
export class OrderGauges {
  private readonly logger = new Logger(OrderGauges.name);
  private countedAt = 0;
  private counting?: Promise<void>;
  /** How many times orders were counted (what the TTL saves is visible in tests and logs). */
  counts = 0;

  constructor(
    private readonly metrics: MetricsService,
    private readonly orders: OrdersRepository,
  ) {}

  async refresh(now = Date.now()): Promise<void> {
    if (now - this.countedAt < ORDER_GAUGE_TTL_MS) return;
    this.counting ??= this.count().finally(() => (this.counting = undefined));
    return this.counting;
  }

  private async count(): Promise<void> {
    try {
      const byStatus = await this.orders.countOpen();
      this.counts++;
      this.metrics.ordersByStatus.reset();
      for (const [status, n] of Object.entries(byStatus))
        this.metrics.ordersByStatus.set({ status }, n);
      this.countedAt = Date.now();
    } catch (error) {
      this.logger.warn(`order gauges kept from the last count: ${(error as Error).message}`);
    }
  }
}

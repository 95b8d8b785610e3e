import { Order } from '../api/api-types';
import { OrdersService } from '../orders/orders-service';

/** After checkout: 1 s, then 1.5x longer each time up to 8 s, for at most two minutes. */
export const POLL_FIRST_DELAY_MS = 1000;
export const POLL_BACKOFF = 1.5;
export const POLL_MAX_DELAY_MS = 8000;
export const POLL_TIMEOUT_MS = 120_000;

/**
 * Polls GET /api/orders/:id with backoff: the webhook or the reconciler may be what settles an
 * order. One poll at a time; starting again restarts the clock.
 */
export class OrderPoller {
  private timer?: ReturnType<typeof setTimeout>;
  private run = 0;

  constructor(private readonly orders: OrdersService) {}

  /**
   * `onOrder` returns true when the order needs no more polling; `onGiveUp` runs when the time
   * limit passes first. Errors are transient: polling goes on until the limit.
   */
  start(orderId: string, onOrder: (order: Order) => boolean, onGiveUp: () => void): void {
    this.stop();
    const run = this.run;
    const deadline = Date.now() + POLL_TIMEOUT_MS;
    let delay = POLL_FIRST_DELAY_MS;
    const tick = async () => {
      try {
        const latest = await this.orders.get(orderId);
        if (run !== this.run || onOrder(latest)) return;
      } catch {
        if (run !== this.run) return;
      }
      if (Date.now() >= deadline) {
        onGiveUp();
        return;
      }
      delay = Math.min(delay * POLL_BACKOFF, POLL_MAX_DELAY_MS);
      this.timer = setTimeout(tick, delay);
    };
    this.timer = setTimeout(tick, delay);
  }

  stop(): void {
    this.run++;
    clearTimeout(this.timer);
  }
}

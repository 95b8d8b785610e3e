import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrdersRepository } from '../orders/orders.repository';
import { MetricsService } from '../metrics/metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly orders: OrdersRepository,
  ) {}

  /** Prometheus text format. */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    const counts = await this.orders.countByStatus();
    this.metrics.ordersByStatus.reset();
    for (const [status, n] of Object.entries(counts))
      this.metrics.ordersByStatus.set({ status }, n);
    return this.metrics.registry.metrics();
  }
}

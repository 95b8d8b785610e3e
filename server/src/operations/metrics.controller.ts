import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MetricsService } from '../metrics/metrics.service';
import { MetricsAccessGuard } from './metrics-access';
import { OrderGauges } from './order-gauges';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('metrics')
@UseGuards(MetricsAccessGuard)
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly orderGauges: OrderGauges,
  ) {}

  /** Prometheus text format; `Authorization: Bearer <METRICS_TOKEN>` or an admin access token. */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    await this.orderGauges.refresh();
    return this.metrics.registry.metrics();
  }
}

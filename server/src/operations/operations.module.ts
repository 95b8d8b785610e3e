import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { ConfigController } from './config.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [OrdersModule],
  controllers: [HealthController, ConfigController, MetricsController],
})
export class OperationsModule {}

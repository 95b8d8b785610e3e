import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OrdersModule } from '../orders/orders.module';
import { ConfigController } from './config.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { MetricsTokenMiddleware } from './metrics-access';
import { OrderGauges } from './order-gauges';

@Module({
  // Terminus logs nothing itself: a failed check is a 503, and the outage is logged once elsewhere.
  imports: [OrdersModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, ConfigController, MetricsController],
  providers: [OrderGauges],
})
export class OperationsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MetricsTokenMiddleware).forRoutes(MetricsController);
  }
}

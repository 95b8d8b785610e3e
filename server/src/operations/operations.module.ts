import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { AppConfigModule } from '../config/config.module';
import { OrdersModule } from '../orders/orders.module';
import { PaymentsModule } from '../payments/payments.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ConfigController } from './config.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { MetricsTokenMiddleware } from './metrics-access';
import { OrderGauges } from './order-gauges';
import { Retention } from './retention';
import { StartupMigrations } from './startup-migrations';
import { Migration, MigrationSchema } from './schemas/migration.schema';

@Module({
  imports: [
    OrdersModule,
    PaymentsModule,
    WebhooksModule,
    MongooseModule.forFeature([{ name: Migration.name, schema: MigrationSchema }]),
    TerminusModule.forRootAsync({
      imports: [AppConfigModule],
      inject: [AppConfig],
      // Terminus logs nothing itself: a failed check is a 503, and the outage is logged once
      // elsewhere. On SIGTERM its checks answer 503 ("shutting_down") for SHUTDOWN_DELAY_MS
      // before the listener closes, so a balancer polling readiness stops routing here first.
      useFactory: (config: AppConfig) => ({
        logger: false,
        gracefulShutdownTimeoutMs: config.get('SHUTDOWN_DELAY_MS'),
      }),
    }),
  ],
  controllers: [HealthController, ConfigController, MetricsController],
  providers: [OrderGauges, Retention, StartupMigrations],
})
export class OperationsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MetricsTokenMiddleware).forRoutes(MetricsController);
  }
}

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { loggerParams } from './common/request-logging';
import { isRateLimitedBy, RateLimitName } from './common/throttling';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DATABASE_DEADLINES } from './database/connection-options';
import { DatabaseAvailability } from './database/database-availability';
import { DatabaseWrites } from './database/database-writes';
import { DatabaseThrottlerStorage, RateLimitStorageModule } from './database/rate-limit.storage';
import { MailModule } from './mail/mail.module';
import { TokenModule } from './auth/token.controller';
import { MetricsModule } from './metrics/metrics.module';
import { OperationsModule } from './operations/operations.module';
import { OrdersModule } from './orders/orders.module';
import { PaymentsModule } from './payments/payments.module';
import { RazorpayModule } from './razorpay/razorpay.module';
import { ProductsModule } from './products/products.module';
import { SandboxHostModule } from './sandbox-host/sandbox-host.module';
import { WebhooksModule } from './webhooks/webhooks.module';

const MINUTE_MS = 60_000;

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => loggerParams(config.get('LOG_LEVEL')),
    }),
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.get('MONGODB_URI'),
        ...DATABASE_DEADLINES,
        // Command events feed the write counters (database-writes.ts).
        monitorCommands: true,
        // Start-up fails within seconds when the database is unreachable, instead of hanging.
        retryAttempts: 3,
        retryDelay: 1_000,
        connectionFactory: (connection: Connection) => {
          DatabaseAvailability.attach(connection);
          DatabaseWrites.attach(connection);
          return connection;
        },
      }),
    }),
    ThrottlerModule.forRootAsync({
      // Counters in the database: a limit holds across every instance (npm run start:cluster).
      imports: [RateLimitStorageModule],
      inject: [AppConfig, DatabaseThrottlerStorage],
      useFactory: (config: AppConfig, storage: DatabaseThrottlerStorage) => ({
        storage,
        throttlers: (
          [
            ['auth', config.get('RATE_LIMIT_AUTH_PER_MINUTE')],
            ['orders', config.get('RATE_LIMIT_ORDERS_PER_MINUTE')],
          ] as [RateLimitName, number][]
        ).map(([name, limit]) => ({
          name,
          ttl: MINUTE_MS,
          limit,
          skipIf: (context) => !isRateLimitedBy(context, name),
        })),
        errorMessage: 'Too many requests; slow down and try again in a minute',
      }),
    }),
    MetricsModule,
    RazorpayModule,
    SandboxHostModule,
    AuthModule,
    ProductsModule,
    OrdersModule,
    PaymentsModule,
    WebhooksModule,
    AccountModule,
    AdminModule,
    OperationsModule,
    MailModule,
    TokenModule,
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}

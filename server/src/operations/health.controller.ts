import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  MongooseHealthIndicator,
} from '@nestjs/terminus';
import type { Response } from 'express';
import { DATABASE_RETRY_AFTER_SECONDS } from '../database/connection-options';
import { HealthResponse } from './dto/operations.dto';

/** A ping that takes longer than this counts as "database down". */
const PING_TIMEOUT_MS = 2_000;

/**
 * Health through @nestjs/terminus. /api/health keeps its original body for monitors already
 * pointed at it; /api/health/live is the process (restart it when this fails), and
 * /api/health/ready is "send me traffic" (the database answers a ping).
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly mongoose: MongooseHealthIndicator,
  ) {}

  /** 200 with the database up, 503 when it does not answer a ping within 2 s. */
  @Get()
  async summary(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const up = (await this.pingDatabase('db')).db.status === 'up';
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    if (!up) res.setHeader('Retry-After', DATABASE_RETRY_AFTER_SECONDS);
    return {
      status: up ? 'ok' : 'error',
      db: up ? 'up' : 'down',
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  /** Liveness: the process answers. Never touches the database, so an outage restarts nothing. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([
      () =>
        this.indicators
          .check('process')
          .up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  /** Readiness: the database answers a ping; 503 (with Retry-After) while it does not. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.pingDatabase('database')]);
  }

  private pingDatabase<K extends string>(key: K) {
    return this.mongoose.pingCheck(key).withTimeout(PING_TIMEOUT_MS);
  }
}

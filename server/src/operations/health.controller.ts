import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Connection } from 'mongoose';
import { HealthResponse } from './dto/operations.dto';

const PING_TIMEOUT_MS = 2000;

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** 200 with the database up, 503 when it does not answer a ping within 2 s. */
  @Get()
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const up = await this.pingDatabase();
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: up ? 'ok' : 'error',
      db: up ? 'up' : 'down',
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  private async pingDatabase(): Promise<boolean> {
    const db = this.connection.db;
    if (!db || this.connection.readyState !== 1) return false;
    const timeout = new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), PING_TIMEOUT_MS).unref(),
    );
    const ping = db
      .admin()
      .ping()
      .then(
        () => true,
        () => false,
      );
    return Promise.race([ping, timeout]);
  }
}

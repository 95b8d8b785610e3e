import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireAuth } from '../auth/authenticated-user';
import {
  MailCatcherResponse,
  OutboxMessageResponse,
  OutboxPage,
  OutboxQueryDto,
} from './dto/outbox.dto';
import { OutboxService } from './outbox.service';

@ApiTags('operators: mail')
@ApiBearerAuth()
@RequireAuth('admin')
@Controller('admin')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  /** Order mail, newest first, by recipient, status (`pending`, `sent`, `failed`) and order. */
  @Get('outbox')
  list(@Query() query: OutboxQueryDto): Promise<OutboxPage> {
    return this.outbox.list(query);
  }

  /** Delivers the message again (attempts start from 0), e.g. after fixing SMTP_URL. */
  @Post('outbox/:id/resend')
  @HttpCode(HttpStatus.OK)
  resend(@Param('id') id: string): Promise<OutboxMessageResponse> {
    return this.outbox.resend(id);
  }

  /** Sandbox mode: where the local mail catcher shows what the shop sent (404 otherwise). */
  @Get('mail-catcher')
  catcher(): MailCatcherResponse {
    return this.outbox.catcher();
  }
}

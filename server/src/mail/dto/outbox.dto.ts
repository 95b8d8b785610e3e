import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsMongoId, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto';
import {
  OUTBOX_KINDS,
  OUTBOX_STATUSES,
  OutboxKind,
  OutboxStatus,
} from '../schemas/outbox-message.schema';

export class OutboxQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, example: 'asha@example.com' })
  @IsOptional()
  @IsEmail()
  to?: string;
  @ApiProperty({ required: false, enum: OUTBOX_STATUSES })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;
  @IsOptional() @IsMongoId() orderId?: string;
}

export class OutboxMessageResponse {
  /** `<orderId>:paid`, `<orderId>:refund:<refundId>` or `<orderId>:expired`. */
  @ApiProperty({ example: '674d5f0c2b9e4a0012345678:paid' }) id: string;
  to: string;
  @ApiProperty({ enum: OUTBOX_KINDS }) kind: OutboxKind;
  subject: string;
  /** `pending` until delivered (or retried), `sent`, or `failed` after MAIL_MAX_ATTEMPTS. */
  @ApiProperty({ enum: OUTBOX_STATUSES }) status: OutboxStatus;
  attempts: number;
  createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) sentAt: Date | null;
  orderId: string;
  @ApiProperty({ example: 'DK-000123' }) orderNumber: string;
}

export class OutboxPage {
  @ApiProperty({ type: [OutboxMessageResponse] }) items: OutboxMessageResponse[];
  total: number;
  page: number;
  limit: number;
}

export class MailCatcherResponse {
  /** The local mail catcher's web inbox (sandbox mode under npm start). */
  @ApiProperty({ example: 'http://127.0.0.1:1080/' }) inboxUrl: string;
}

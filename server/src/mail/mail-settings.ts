import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** Mail configuration, resolved once (defaults that depend on other variables live here). */
@Injectable()
export class MailSettings {
  constructor(private readonly config: AppConfig) {}

  get smtpUrl(): string | undefined {
    return this.config.get('SMTP_URL');
  }

  get from(): string {
    return this.config.get('MAIL_FROM');
  }

  get shopName(): string {
    return this.config.get('SHOP_NAME');
  }

  get shopUrl(): string {
    return this.config.get('SHOP_URL') ?? `http://localhost:${this.config.get('PORT')}`;
  }

  get maxAttempts(): number {
    return this.config.get('MAIL_MAX_ATTEMPTS');
  }

  get retryMs(): number {
    return this.config.get('MAIL_RETRY_SECONDS') * 1000;
  }

  get pollMs(): number {
    return this.config.get('MAIL_POLL_SECONDS') * 1000;
  }

  get catcherUrl(): string | undefined {
    return this.config.isSandbox ? this.config.get('MAIL_CATCHER_URL') : undefined;
  }
}

import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { MailSettings } from './mail-settings';

export interface OutgoingMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** SMTP through nodemailer, behind an injectable (the one place that knows the SDK). */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private transporter?: Transporter;

  constructor(private readonly settings: MailSettings) {}

  get configured(): boolean {
    return this.settings.smtpUrl !== undefined;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const url = this.settings.smtpUrl;
    if (!url) throw new Error('SMTP_URL is not set');
    // Short timeouts: a hung server must fail the attempt well inside the sender's lease.
    this.transporter ??= createTransport({
      url,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
    await this.transporter.sendMail({
      from: this.settings.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
    });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}

import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { MailSettings } from './mail-settings';
import { MailTransport } from './mail-transport';
import { OutboxRepository } from './outbox.repository';
import { OutboxMessageDocument } from './schemas/outbox-message.schema';

/** Longer than any SMTP attempt (see MailTransport's timeouts): a live sender never loses its lease. */
const LEASE_MS = 120_000;
const MAX_BACKOFF_MS = 60 * 60_000;
const BATCH = 20;

/**
 * Delivers the outbox at least once: takes each due message under a lease (so one sender sends
 * it), marks it `sent`, or schedules a retry with exponential backoff and marks it `failed` after
 * MAIL_MAX_ATTEMPTS. Runs right after a message is recorded and every MAIL_POLL_SECONDS.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailSender.name);
  private timer?: ReturnType<typeof setInterval>;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly transport: MailTransport,
    private readonly settings: MailSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.transport.configured) {
      this.logger.warn('SMTP_URL is not set: order mail is kept in the outbox and not sent');
      return;
    }
    if (this.settings.pollMs > 0) {
      this.timer = setInterval(() => this.kick(), this.settings.pollMs);
      this.timer.unref();
    }
    this.kick();
  }

  // Before the database connection closes, so a pass in flight can record its outcome.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a pass over due mail, or asks the running pass to go round once more. */
  kick(): void {
    if (!this.transport.configured || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  /** One pass now; resolves when the mail due now has been tried (tests and the admin use it). */
  async drain(now = new Date()): Promise<number> {
    if (!this.transport.configured) return 0;
    let tried = 0;
    for (const message of await this.outbox.findDue(now, BATCH)) {
      if (await this.attempt(message._id, now)) tried++;
    }
    return tried;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        while (!this.stopped && (await this.drain()) === BATCH);
      } catch (error) {
        // The database may be briefly away: the next kick or poll tries again.
        this.logger.warn(`outbox pass failed: ${(error as Error).message}`);
      }
    } while (this.again && !this.stopped);
  }

  private async attempt(id: string, now: Date): Promise<boolean> {
    const message = await this.outbox.claim(id, now, new Date(Date.now() + LEASE_MS));
    if (!message) return false; // another sender has it, or it is no longer due
    try {
      await this.transport.send(toOutgoing(message, this.settings.from));
      await this.outbox.markSent(message._id, message.attempts, new Date());
      this.logger.log(`outbox ${message._id}: sent (attempt ${message.attempts})`);
    } catch (error) {
      const last = message.attempts >= this.settings.maxAttempts;
      const retryAt = last ? null : new Date(Date.now() + this.backoffMs(message.attempts));
      await this.outbox.markAttemptFailed(message._id, message.attempts, describe(error), retryAt);
      // The transport's message may quote the address: log only its code.
      this.logger.warn(
        `outbox ${message._id}: attempt ${message.attempts} failed (${errorCode(error)})` +
          (retryAt ? `, next at ${retryAt.toISOString()}` : ', marked failed'),
      );
    }
    return true;
  }

  private backoffMs(attempts: number): number {
    return Math.min(this.settings.retryMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
  }
}

function toOutgoing(message: OutboxMessageDocument, from: string) {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'shop.local';
  return {
    // Stable per message: a copy sent twice (a crash between SMTP and "sent") is recognisable.
    messageId: `<${message._id.replace(/[^A-Za-z0-9._-]/g, '.')}@${domain}>`,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
  };
}

function errorCode(error: unknown): string {
  const e = error as { code?: string; responseCode?: number };
  return [e.code, e.responseCode].filter(Boolean).join(' ') || 'error';
}

function describe(error: unknown): string {
  return `${errorCode(error)}: ${(error as Error).message ?? String(error)}`.slice(0, 500);
}

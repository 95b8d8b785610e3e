import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export const RAZORPAY_MODES = ['sandbox', 'live'] as const;
export type RazorpayMode = (typeof RAZORPAY_MODES)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** Every variable the server reads. `.env.example` documents each one. */
export class EnvironmentVariables {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;

  @IsOptional() @IsIn(RAZORPAY_MODES) RAZORPAY_MODE: RazorpayMode = 'sandbox';
  @IsOptional()
  @Matches(/^rzp_(test|live)_[A-Za-z0-9]+$/, { message: 'must look like rzp_test_… or rzp_live_…' })
  RAZORPAY_KEY_ID?: string;
  @IsOptional() @IsString() @MinLength(8) RAZORPAY_KEY_SECRET?: string;
  @IsOptional() @IsString() @MinLength(8) RAZORPAY_WEBHOOK_SECRET?: string;
  /** Override the API origin the SDK talks to (defaults: Razorpay in live mode, the mounted sandbox otherwise). */
  @IsOptional() @Matches(/^https?:\/\//) RAZORPAY_API_BASE_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) RAZORPAY_TIMEOUT_MS: number = 10_000;
  /** Where the sandbox delivers webhooks; defaults to this server's own /api/webhooks/razorpay. */
  @IsOptional() @Matches(/^https?:\/\//) SANDBOX_WEBHOOK_URL?: string;
  /** Multiplies the sandbox's webhook retry delays (tests use a tiny value). */
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  SANDBOX_TIME_SCALE: number = 1;

  @IsOptional() @IsEmail() ADMIN_EMAIL: string = 'admin@example.com';
  @IsOptional() @IsString() @MinLength(8) ADMIN_PASSWORD: string = 'admin-password';
  @IsOptional() @IsString() @MinLength(16) JWT_SECRET?: string;
  @IsOptional() @IsString() JWT_EXPIRES_IN: string = '12h';

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) ORDER_TTL_MINUTES: number = 30;
  /** Pending orders older than this are checked against Razorpay by the reconciler. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) RECONCILE_AFTER_SECONDS: number = 120;
  /** 0 disables the scheduled reconciler (the admin route still works). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) RECONCILE_INTERVAL_SECONDS: number = 60;
  /** Refund late, duplicate and wrong-amount payments automatically (each exactly once). */
  @IsOptional() @IsIn(['true', 'false']) AUTO_REFUND_LATE_PAYMENTS: string = 'true';

  /**
   * On SIGTERM, answer 503 on /api/health/ready this long before closing the listener, so the
   * balancer stops routing to the instance first (a Kubernetes preStop sleep does the same).
   */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10_000) SHUTDOWN_DELAY_MS: number = 0;

  /** Processed webhook events keep Razorpay's raw body (customer contact details) this long. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) WEBHOOK_RETENTION_DAYS: number = 30;

  @IsOptional() @IsString() CORS_ORIGINS: string = '';
  @IsOptional() @IsString() BODY_LIMIT: string = '100kb';
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_AUTH_PER_MINUTE: number = 20;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_ORDERS_PER_MINUTE: number = 60;
  @IsOptional() @IsIn(['true', 'false']) SEED_DEMO_PRODUCTS: string = 'true';
  @IsOptional() @IsIn(['error', 'warn', 'log', 'debug']) LOG_LEVEL: string = 'log';
  /** Set by `npm run start:cluster`: this process is one of several instances on one database. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) SHOP_INSTANCE?: number;
  /** Bearer token for GET /api/metrics (an admin access token works too). */
  @IsOptional() @IsString() @MinLength(16) METRICS_TOKEN?: string;

  /** Order mail over SMTP, e.g. smtps://user:pass@smtp.example.com:465; unset keeps mail in the outbox unsent. */
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;
  @IsOptional() @IsString() @MinLength(3) MAIL_FROM: string = 'Dukaan <orders@dukaan.example>';
  /** The shop's name in mail. */
  @IsOptional() @IsString() @MinLength(1) SHOP_NAME: string = 'Dukaan';
  /** The storefront's public origin, for links in mail; defaults to http://localhost:PORT. */
  @IsOptional()
  @Matches(/^https?:\/\/[^/]+$/, { message: 'must be an origin like https://shop.example' })
  SHOP_URL?: string;
  /** A mail the transport refuses this many times is marked failed (the operator can resend it). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) MAIL_MAX_ATTEMPTS: number = 6;
  /** Delay before the first retry; it doubles with every attempt (at most an hour). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) MAIL_RETRY_SECONDS: number = 30;
  /** How often the sender looks for due mail besides right after recording one (0 = only then). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) MAIL_POLL_SECONDS: number = 10;
  /** The local mail catcher's web inbox (set by npm start in sandbox mode), shown to operators. */
  @IsOptional() @Matches(/^https?:\/\//) MAIL_CATCHER_URL?: string;
}

export type Env = EnvironmentVariables;

/** Fails start-up with one line per bad variable, naming it. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
  const env = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.map(
    (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`,
  );
  if (env.RAZORPAY_MODE === 'live') {
    for (const name of [
      'RAZORPAY_KEY_ID',
      'RAZORPAY_KEY_SECRET',
      'RAZORPAY_WEBHOOK_SECRET',
    ] as const) {
      if (!env[name]) problems.push(`${name}: is required when RAZORPAY_MODE=live`);
    }
    if (!env.JWT_SECRET) problems.push('JWT_SECRET: is required when RAZORPAY_MODE=live');
    problems.push(...liveAdminProblems(env.ADMIN_EMAIL, env.ADMIN_PASSWORD));
  } else if (env.RAZORPAY_KEY_ID?.startsWith('rzp_live_')) {
    // A real key would talk to the emulator, whose checkout "pays" without money moving.
    problems.push(
      'RAZORPAY_MODE: is sandbox but RAZORPAY_KEY_ID is a live key (rzp_live_...); set RAZORPAY_MODE=live or use a rzp_test_ key',
    );
  }
  if (
    env.SHOP_INSTANCE !== undefined &&
    env.RAZORPAY_MODE === 'sandbox' &&
    !env.RAZORPAY_API_BASE_URL
  )
    // Each instance would otherwise mount a sandbox of its own, with its own orders and payments.
    problems.push(
      'RAZORPAY_API_BASE_URL: is required with several instances (SHOP_INSTANCE) in sandbox mode: every instance must use one standalone sandbox (npm run sandbox), not a sandbox of its own',
    );
  if (problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  return env;
}

/** The operator account `.env.example` documents: fine on a laptop, refused in live mode. */
export const DOCUMENTED_ADMIN = { email: 'admin@example.com', password: 'admin-password' };
const MIN_LIVE_PASSWORD_LENGTH = 12;

/** What makes the seeded operator unsafe for a live shop, one entry per variable. */
function liveAdminProblems(email: string, password: string): string[] {
  const problems: string[] = [];
  if (email.toLowerCase() === DOCUMENTED_ADMIN.email)
    problems.push('ADMIN_EMAIL: is the documented default; set your own when RAZORPAY_MODE=live');
  const weakness = passwordWeakness(password, email);
  if (weakness) problems.push(`ADMIN_PASSWORD: ${weakness} when RAZORPAY_MODE=live`);
  return problems;
}

/** Why `password` is too weak for the live operator account, or undefined when it is not. */
export function passwordWeakness(password: string, email: string): string | undefined {
  if (password === DOCUMENTED_ADMIN.password) return 'is the documented default';
  if (password.length < MIN_LIVE_PASSWORD_LENGTH)
    return `must have at least ${MIN_LIVE_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  const localPart = email.split('@')[0].toLowerCase();
  if (['password', 'admin', 'qwerty', '123456'].some((w) => lower.includes(w)))
    return 'contains a common word (password, admin, qwerty, 123456)';
  if (localPart.length >= 3 && lower.includes(localPart)) return 'contains ADMIN_EMAIL';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(password));
  if (classes.length < 2 || new Set(password).size < 6)
    return 'is too weak (mix letters with digits or symbols)';
  return undefined;
}

/** The one line `npm start` prints in sandbox mode, so nobody mistakes it for a live shop. */
export function sandboxBanner(env: EnvironmentVariables): string | undefined {
  if (env.RAZORPAY_MODE !== 'sandbox') return undefined;
  return 'RAZORPAY_MODE=sandbox: payments go to the bundled Razorpay emulator; no money moves (set RAZORPAY_MODE=live to take real payments)';
}

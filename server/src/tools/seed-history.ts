/**
 * `npm run seed:history -- --orders N [--users U] [--products P] [--seed S] [--json]`
 *
 * Writes N orders of realistic history into the database the shop uses (MONGODB_URI, or the
 * embedded default in .data/db), through the shop's own Mongoose schemas and models (validation,
 * defaults and indexes exactly as the shop declares them): several orders per user, statuses in
 * the shares of a running shop, and for each order the records the shop itself would have left —
 * its Razorpay order link, payments (failed attempts included), refunds with their refund intents,
 * flagged duplicate payments, webhook events (raw bodies kept for WEBHOOK_RETENTION_DAYS, as
 * Retention leaves them), the mails its outbox sent (confirmation, refund, expired after an
 * attempt), order numbers from its counter, and idempotency keys for the last day.
 * Documents go in with insertMany in batches, so 100,000 orders take minutes, not hours.
 *
 * Started by scripts/seed-history.mjs (ts-node, no HTTP server). With --json the last stdout line
 * is a JSON summary (users' emails and password, product ids, counts) that bench/scale.bench.mjs reads.
 */
import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import { hashSync } from 'bcryptjs';
import { createHash } from 'node:crypto';
import { Connection, Model, Types } from 'mongoose';
import { User, UserSchema } from '../auth/schemas/user.schema';
import { startDatabase, withDatabaseName, type DatabaseHandle } from '../database/launcher';
import { OrderStatus, TransitionSource } from '../orders/order-status';
import { utcDay } from '../common/utc-day';
import { AppConfig } from '../config/app-config';
import { AppConfigModule } from '../config/config.module';
import { MailSettings } from '../mail/mail-settings';
import {
  orderExpiredMail,
  orderPaidMail,
  paymentMethodLabel,
  refundMail,
  RenderedMail,
} from '../mail/mail-templates';
import { MailableOrder, orderMailContext, toMailOrder } from '../mail/order-mail';
import {
  OutboxKind,
  OutboxMessage,
  OutboxMessageSchema,
} from '../mail/schemas/outbox-message.schema';
import { OrderAccessTokens } from '../orders/order-access-token';
import { formatOrderNumber, OrderNumbers } from '../orders/order-numbers';
import { EntitledOrder, EntitlementsRepository } from '../orders/entitlements.repository';
import { Entitlement, EntitlementSchema } from '../orders/schemas/entitlement.schema';
import { IdempotencyKey, IdempotencyKeySchema } from '../orders/schemas/idempotency-key.schema';
import { Order, OrderItem, OrderSchema } from '../orders/schemas/order.schema';
import { Payment, PAYMENT_STATUS_RANK, PaymentSchema } from '../payments/schemas/payment.schema';
import { RefundIntent, RefundIntentSchema } from '../payments/schemas/refund-intent.schema';
import { Refund, REFUND_STATUS_RANK, RefundSchema } from '../payments/schemas/refund.schema';
import { Product, ProductSchema } from '../products/schemas/product.schema';
import { WebhookEvent, WebhookEventSchema } from '../webhooks/schemas/webhook-event.schema';

export interface SeedOptions {
  orders: number;
  /** Default: one user per five orders (several orders each); 10 % of orders are guests'. */
  users?: number;
  /** Default: the active catalogue if there is one, else 12 new products. */
  products?: number;
  /** PRNG seed: the same seed and sizes give the same history. */
  seed?: number;
  /** Orders per insertMany round (each collection gets one insertMany per round). */
  batch?: number;
  /** Days of history, oldest order first. */
  days?: number;
  log?: (line: string) => void;
}

export interface SeedSummary {
  orders: number;
  byStatus: Record<string, number>;
  users: { count: number; password: string; emails: string[] };
  /** The user with the most orders (the bench signs in as this one). */
  busiestUser: { email: string; orders: number; purchasedProductId: string | null };
  productIds: string[];
  documents: Record<string, number>;
  seconds: number;
  tag: string;
}

/** The password every seeded user gets (demo data only). */
export const HISTORY_PASSWORD = 'history-password-1';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ORDER_TTL_MS = 15 * MINUTE;
const METHODS = ['upi', 'upi', 'upi', 'card', 'card', 'netbanking', 'wallet'];
const FIRST = [
  'Aarav',
  'Diya',
  'Ishaan',
  'Ananya',
  'Vihaan',
  'Saanvi',
  'Kabir',
  'Meera',
  'Arjun',
  'Kavya',
];
const LAST = [
  'Sharma',
  'Iyer',
  'Patel',
  'Reddy',
  'Nair',
  'Gupta',
  'Singh',
  'Das',
  'Menon',
  'Joshi',
];

/** Shares of a running shop (after the 15-minute checkout window); the newest orders are pending. */
const STATUS_SHARES: [Exclude<OrderStatus, 'pending'>, number][] = [
  ['paid', 0.62],
  ['partially_refunded', 0.03],
  ['refunded', 0.05],
  ['expired', 0.24],
  ['cancelled', 0.06],
];

type Doc<T> = Partial<T> & Record<string, unknown>;

interface Batch {
  orders: Doc<Order>[];
  payments: Doc<Payment>[];
  refunds: Doc<Refund>[];
  intents: Doc<RefundIntent>[];
  events: Doc<WebhookEvent>[];
  keys: Doc<IdempotencyKey>[];
  mails: Doc<OutboxMessage>[];
}

/** mulberry32: small, fast, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

@Module({})
class SeedHistoryModule {
  static forUri(uri: string): DynamicModule {
    return {
      module: SeedHistoryModule,
      imports: [
        AppConfigModule,
        MongooseModule.forRoot(uri, { serverSelectionTimeoutMS: 10_000 }),
        MongooseModule.forFeature([
          { name: Order.name, schema: OrderSchema },
          { name: IdempotencyKey.name, schema: IdempotencyKeySchema },
          { name: Payment.name, schema: PaymentSchema },
          { name: Refund.name, schema: RefundSchema },
          { name: RefundIntent.name, schema: RefundIntentSchema },
          { name: WebhookEvent.name, schema: WebhookEventSchema },
          { name: User.name, schema: UserSchema },
          { name: Product.name, schema: ProductSchema },
          { name: OutboxMessage.name, schema: OutboxMessageSchema },
          { name: Entitlement.name, schema: EntitlementSchema },
        ]),
      ],
      // What the shop's outbox writes mails with: its name, its URL, guests' order links; and the
      // entitlements its paid transitions note.
      providers: [MailSettings, OrderAccessTokens, EntitlementsRepository],
    };
  }
}

/** Seeds history through an app context on `uri` (a connection string that names the database). */
export async function seedHistory(uri: string, options: SeedOptions): Promise<SeedSummary> {
  const app = await NestFactory.createApplicationContext(SeedHistoryModule.forUri(uri), {
    logger: ['error', 'warn'],
  });
  try {
    return await seedWith(app, options);
  } finally {
    await app.close();
  }
}

async function seedWith(app: INestApplicationContext, options: SeedOptions): Promise<SeedSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const model = <T>(name: string) => app.get<Model<T>>(getModelToken(name));
  const models = {
    orders: model<Order>(Order.name),
    keys: model<IdempotencyKey>(IdempotencyKey.name),
    payments: model<Payment>(Payment.name),
    refunds: model<Refund>(Refund.name),
    intents: model<RefundIntent>(RefundIntent.name),
    events: model<WebhookEvent>(WebhookEvent.name),
    users: model<User>(User.name),
    products: model<Product>(Product.name),
    mails: model<OutboxMessage>(OutboxMessage.name),
  };
  const mailSettings = app.get(MailSettings);
  const accessTokens = app.get(OrderAccessTokens);
  // The shop's indexes exist before the data does (as they would in a shop that grew).
  for (const m of Object.values(models) as Model<unknown>[]) await m.init();

  const random = prng(options.seed ?? 1);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  // Unique per run, so seeding twice adds more history instead of colliding: ids come from a
  // generator seeded by the run's tag, shapes from the (reproducible) --seed.
  const tag = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const idRandom = prng(parseInt(sha256(tag).slice(0, 8), 16));
  const token = (n: number) =>
    Array.from({ length: n }, () => BASE62[Math.floor(idRandom() * BASE62.length)]).join('');
  const batchSize = Math.max(1, options.batch ?? 1000);
  const idPrefix = sha256(tag).slice(0, 8);
  const now = Date.now();
  const span = Math.max(1, options.days ?? 365) * DAY;
  const keepBodiesAfter = now - app.get(AppConfig).get('WEBHOOK_RETENTION_DAYS') * DAY;
  // Numbers taken from the shop's counter in one write, so live orders never reuse one.
  const firstNumber = await new OrderNumbers(app.get<Connection>(getConnectionToken())).reserve(
    options.orders,
  );

  // Products: the active catalogue, or new ones (stock untouched: history is in the past).
  let products = await models.products.find({ active: true }).sort({ _id: 1 }).lean().exec();
  if (options.products !== undefined || products.length === 0) {
    const count = options.products ?? 12;
    const created = await models.products.insertMany(
      Array.from({ length: count }, (_, i) => ({
        name: `History item ${i + 1} (${tag})`,
        description: 'Seeded by npm run seed:history',
        price: int(2, 120) * 5_000 - 100,
        stock: int(5, 500),
        imageUrl: '',
        active: true,
      })),
    );
    products = created.map((p) => p.toObject());
  }
  log(`products: ${products.length}`);

  // Users: bcrypt once (cost 10, as the shop hashes), every user the same demo password.
  const userCount = Math.max(1, options.users ?? Math.ceil(options.orders / 5));
  const passwordHash = hashSync(HISTORY_PASSWORD, 10);
  const users: { _id: Types.ObjectId; name: string; email: string; contact: string }[] = [];
  for (let i = 0; i < userCount; i++) {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    users.push({
      _id: new Types.ObjectId(),
      name,
      email: `shopper${i + 1}.${tag}@history.example.com`,
      contact: `+91${int(70000, 99999)}${int(10000, 99999)}`,
    });
  }
  for (let i = 0; i < users.length; i += batchSize) {
    await models.users.insertMany(
      users.slice(i, i + batchSize).map((u) => ({
        _id: u._id,
        name: u.name,
        email: u.email,
        passwordHash,
        role: 'customer',
        createdAt: new Date(now - span - DAY),
        updatedAt: new Date(now - span - DAY),
      })),
    );
  }
  log(`users: ${users.length}`);

  const byStatus: Record<string, number> = {};
  const perUser = new Map<number, number>();
  const purchasedBy = new Map<number, string>();
  const documents: Record<string, number> = {};
  let busiest = 0;
  let batch = emptyBatch();
  // Orders that went through paid, as the shop notes them (entitlements.repository.ts): upserts.
  let entitled: EntitledOrder[] = [];
  const entitlements = app.get(EntitlementsRepository);

  const flush = async () => {
    await entitlements.noteAll(entitled);
    entitled = [];
    for (const [name, docs] of Object.entries(batch) as [keyof Batch, Doc<unknown>[]][]) {
      if (docs.length === 0) continue;
      await (models[name] as Model<unknown>).insertMany(docs, { ordered: true });
      documents[name] = (documents[name] ?? 0) + docs.length;
    }
    batch = emptyBatch();
  };

  for (let i = 0; i < options.orders; i++) {
    // Oldest first, evenly spread with jitter; the last few minutes' orders are still open.
    const createdAt = new Date(now - span + ((i + random()) / options.orders) * span);
    const age = now - createdAt.getTime();
    const guest = random() < 0.1;
    // A skewed choice: some users order often, most a few times.
    const userIndex = guest ? -1 : Math.floor(random() * random() * users.length);
    const user = guest ? null : users[userIndex];
    const customer = user
      ? { name: user.name, email: user.email, contact: user.contact }
      : {
          name: `${pick(FIRST)} ${pick(LAST)}`,
          email: `guest${i + 1}.${tag}@history.example.com`,
          contact: `+91${int(70000, 99999)}${int(10000, 99999)}`,
        };
    const status = age < ORDER_TTL_MS ? 'pending' : chooseStatus(random());
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (user) {
      const n = (perUser.get(userIndex) ?? 0) + 1;
      perUser.set(userIndex, n);
      if (n > (perUser.get(busiest) ?? 0)) busiest = userIndex;
    }

    const itemCount = random() < 0.6 ? 1 : random() < 0.75 ? 2 : 3;
    const chosen = new Set<number>();
    while (chosen.size < Math.min(itemCount, products.length))
      chosen.add(Math.floor(random() * products.length));
    const items: OrderItem[] = [...chosen].map((p) => {
      const product = products[p];
      const quantity = random() < 0.8 ? 1 : 2;
      return {
        productId: product._id,
        name: product.name,
        unitPrice: product.price,
        quantity,
        lineTotal: product.price * quantity,
        imageUrl: product.imageUrl ?? '',
      };
    });
    const amount = items.reduce((sum, item) => sum + item.lineTotal, 0);
    // Time-ordered like the driver's own ids: seconds, then a per-run prefix and a counter.
    const orderId = new Types.ObjectId(
      Math.floor(createdAt.getTime() / 1000)
        .toString(16)
        .padStart(8, '0') +
        idPrefix +
        i.toString(16).padStart(8, '0'),
    );
    const razorpayOrderId = `order_${token(14)}`;
    const at = (minutes: number) => new Date(createdAt.getTime() + minutes * MINUTE);
    const history: { status: OrderStatus; at: Date; source: TransitionSource; note?: string }[] =
      [];
    const orderNumber = formatOrderNumber(firstNumber + i);
    const order: Doc<Order> = {
      _id: orderId,
      orderNumber,
      status,
      items,
      amount,
      currency: 'INR',
      amountRefunded: 0,
      customer,
      customerEmail: customer.email,
      userId: user?._id ?? null,
      razorpayOrderId,
      expiresAt: at(15),
      paidAt: null,
      paidDay: null,
      paymentId: null,
      stockReleased: false,
      flaggedPayments: [],
      refundedFlaggedPaymentIds: [],
      appliedRefundIds: [],
      revertedRefundIds: [],
      lastPaymentError: null,
      confirmingPaymentId: null,
      failedVerifications: 0,
      reconcileLeaseUntil: new Date(0),
      reconcileAttempts: 0,
      history,
      createdAt,
      createdDay: utcDay(createdAt),
      updatedAt: createdAt,
    };
    batch.orders.push(order);
    if (user && age < DAY) {
      batch.keys.push({
        _id: sha256(`user:${user._id.toHexString()}:${tag}-${i}`),
        requestHash: sha256(`${orderId.toHexString()}:${amount}`),
        orderId,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + DAY),
      });
    }

    const payment = (
      status: Payment['status'],
      minutes: number,
      extra: Partial<Payment> = {},
    ): string => {
      const id = `pay_${token(14)}`;
      batch.payments.push({
        _id: id,
        orderId,
        razorpayOrderId,
        amount,
        currency: 'INR',
        status,
        statusRank: PAYMENT_STATUS_RANK[status],
        method: pick(METHODS),
        errorCode: null,
        errorDescription: null,
        lastSource: 'webhook',
        createdAt: at(minutes),
        updatedAt: at(minutes),
        ...extra,
      });
      return id;
    };
    const event = (type: string, minutes: number, entity: Record<string, unknown>) => {
      const id = `evt_${token(14)}`;
      const body = razorpayEventBody(type, entity, at(minutes));
      // Past the retention window the shop has already dropped the body (Retention).
      const kept = at(minutes).getTime() > keepBodiesAfter;
      batch.events.push({
        _id: id,
        event: type,
        rawBody: kept ? body : null,
        razorpayOrderId,
        status: 'processed',
        leaseUntil: at(minutes + 0.5),
        deliveries: random() < 0.03 ? 2 : 1,
        attempts: 1,
        lastError: null,
        processedAt: at(minutes),
        rawBodyKept: kept,
        keptDay: kept ? utcDay(at(minutes)) : null,
        eventCreatedAt: Math.floor(at(minutes).getTime() / 1000),
        createdAt: at(minutes),
        createdDay: utcDay(at(minutes)),
        updatedAt: at(minutes),
      });
    };
    // A mail the outbox recorded and the sender delivered, written from the order as it was then.
    const mail = (
      kind: OutboxKind,
      id: string,
      minutes: number,
      render: (o: MailableOrder) => RenderedMail,
    ) => {
      const mailable: MailableOrder = {
        _id: orderId,
        orderNumber,
        customer,
        items,
        amount,
        amountRefunded: order.amountRefunded ?? 0,
        userId: user?._id ?? null,
      };
      batch.mails.push({
        _id: id,
        kind,
        orderId,
        orderNumber,
        to: customer.email.toLowerCase(),
        ...render(mailable),
        status: 'sent',
        attempts: 1,
        nextAttemptAt: at(minutes),
        lastError: null,
        createdAt: at(minutes),
        sentAt: at(minutes + 0.1),
      });
    };
    const contextOf = (o: MailableOrder) => orderMailContext(o, mailSettings, accessTokens);
    const methodOf = (paymentId: string) =>
      paymentMethodLabel(batch.payments.find((p) => p._id === paymentId)?.method);
    const paymentEntity = (id: string, state: string, extra: Record<string, unknown> = {}) => ({
      id,
      entity: 'payment',
      amount,
      currency: 'INR',
      status: state,
      order_id: razorpayOrderId,
      method: 'upi',
      captured: state === 'captured',
      email: customer.email,
      contact: customer.contact,
      notes: { shop_order_id: orderId.toHexString() },
      ...extra,
    });

    history.push({ status: 'pending', at: createdAt, source: 'checkout' });
    // One in seven checkouts sees a failed attempt first (a declined card, a UPI timeout).
    if (random() < 0.15) {
      const failedId = payment('failed', 2, {
        errorCode: 'BAD_REQUEST_ERROR',
        errorDescription: 'Payment was declined by the bank',
      });
      event(
        'payment.failed',
        2,
        paymentEntity(failedId, 'failed', { error_code: 'BAD_REQUEST_ERROR' }),
      );
      if (status === 'expired' || status === 'pending') {
        order.lastPaymentError = {
          code: 'BAD_REQUEST_ERROR',
          description: 'Payment was declined by the bank',
          reason: 'payment_failed',
          paymentId: failedId,
          at: at(2),
        };
      }
    }

    if (status === 'pending') {
      // The reconciler looked at it a moment ago and backed off: no order is due yet.
      order.reconcileLeaseUntil = new Date(now + 10 * MINUTE);
      order.reconcileAttempts = 1;
    } else if (status === 'expired' || status === 'cancelled') {
      order.stockReleased = true;
      order.updatedAt = at(status === 'expired' ? 16 : 4);
      history.push({
        status,
        at: order.updatedAt,
        source: status === 'expired' ? 'expiry' : 'reconciler',
        note: status === 'expired' ? 'not paid in time' : 'Razorpay does not know this order',
      });
      if (status === 'expired' && order.lastPaymentError)
        mail('expired', `${orderId.toHexString()}:expired`, 16, (o) =>
          orderExpiredMail(toMailOrder(o), contextOf(o)),
        );
    } else {
      const paidMinute = 3 + random() * 8;
      const paymentId = payment('captured', paidMinute);
      order.paymentId = paymentId;
      entitled.push({ _id: orderId, userId: order.userId ?? null, items });
      order.paidAt = at(paidMinute);
      order.paidDay = utcDay(order.paidAt);
      order.updatedAt = order.paidAt;
      history.push({
        status: 'paid',
        at: order.paidAt,
        source: random() < 0.7 ? 'verify' : 'webhook',
      });
      event('payment.captured', paidMinute, paymentEntity(paymentId, 'captured'));
      event('order.paid', paidMinute + 0.02, paymentEntity(paymentId, 'captured'));
      mail('paid', `${orderId.toHexString()}:paid`, paidMinute, (o) =>
        orderPaidMail(toMailOrder(o), methodOf(paymentId), contextOf(o)),
      );
      if (user && status !== 'refunded' && !purchasedBy.has(userIndex))
        purchasedBy.set(userIndex, String(items[0].productId));

      if (status === 'refunded' || status === 'partially_refunded') {
        const refundAmount =
          status === 'refunded' ? amount : Math.max(100, Math.round((amount * int(10, 60)) / 100));
        const refundMinute = paidMinute + int(60, 20 * 24 * 60);
        const refundId = `rfnd_${token(14)}`;
        const intentId = sha256(`operator:${orderId.toHexString()}:${tag}-${i}`);
        batch.intents.push({
          _id: intentId,
          orderId,
          paymentId,
          amount: refundAmount,
          razorpayKey: `rfnd_${intentId.slice(0, 32)}`,
          kind: 'operator',
          status: 'done',
          refundId,
          error: null,
          attempts: 1,
          createdAt: at(refundMinute),
          updatedAt: at(refundMinute),
        });
        batch.refunds.push({
          _id: refundId,
          orderId,
          paymentId,
          amount: refundAmount,
          currency: 'INR',
          status: 'processed',
          statusRank: REFUND_STATUS_RANK.processed,
          createdAt: at(refundMinute),
          updatedAt: at(refundMinute + 1),
        });
        event('refund.processed', refundMinute + 1, {
          id: refundId,
          entity: 'refund',
          amount: refundAmount,
          currency: 'INR',
          payment_id: paymentId,
          status: 'processed',
          speed_processed: 'normal',
        });
        if (status === 'refunded') {
          const own = batch.payments.find((p) => p._id === paymentId);
          if (own)
            Object.assign(own, { status: 'refunded', statusRank: PAYMENT_STATUS_RANK.refunded });
        }
        order.amountRefunded = refundAmount;
        order.appliedRefundIds = [refundId];
        order.updatedAt = at(refundMinute + 1);
        history.push({ status, at: order.updatedAt, source: 'admin', note: 'operator refund' });
        mail('refund', `${orderId.toHexString()}:refund:${refundId}`, refundMinute + 1, (o) =>
          refundMail(
            toMailOrder(o),
            { amount: refundAmount, instant: false },
            methodOf(paymentId),
            contextOf(o),
          ),
        );
      } else if (random() < 0.004) {
        // A second tab paid too: the duplicate is flagged and refunded on its own.
        const duplicateId = payment('refunded', paidMinute + 1, {
          statusRank: PAYMENT_STATUS_RANK.refunded,
        });
        const refundId = `rfnd_${token(14)}`;
        const intentId = sha256(`flagged:${duplicateId}:0`);
        order.flaggedPayments = [
          { paymentId: duplicateId, reason: 'duplicate_payment', amount, at: at(paidMinute + 1) },
        ];
        order.refundedFlaggedPaymentIds = [duplicateId];
        batch.intents.push({
          _id: intentId,
          orderId,
          paymentId: duplicateId,
          amount,
          razorpayKey: `rfnd_${intentId.slice(0, 32)}`,
          kind: 'flagged',
          status: 'done',
          refundId,
          error: null,
          attempts: 1,
          createdAt: at(paidMinute + 1),
          updatedAt: at(paidMinute + 2),
        });
        batch.refunds.push({
          _id: refundId,
          orderId,
          paymentId: duplicateId,
          amount,
          currency: 'INR',
          status: 'processed',
          statusRank: REFUND_STATUS_RANK.processed,
          createdAt: at(paidMinute + 1),
          updatedAt: at(paidMinute + 2),
        });
        event('payment.captured', paidMinute + 1, paymentEntity(duplicateId, 'captured'));
      }
    }

    if (batch.orders.length >= batchSize) {
      await flush();
      if ((i + 1) % (batchSize * 10) === 0)
        log(
          `orders: ${i + 1} of ${options.orders} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
    }
  }
  await flush();

  const busiestUser = users[busiest];
  return {
    orders: options.orders,
    byStatus,
    users: {
      count: users.length,
      password: HISTORY_PASSWORD,
      emails: users.slice(0, 20).map((u) => u.email),
    },
    busiestUser: {
      email: busiestUser.email,
      orders: perUser.get(busiest) ?? 0,
      purchasedProductId: purchasedBy.get(busiest) ?? null,
    },
    productIds: products.map((p) => String(p._id)),
    documents,
    seconds: (Date.now() - started) / 1000,
    tag,
  };
}

function emptyBatch(): Batch {
  return {
    orders: [],
    payments: [],
    refunds: [],
    intents: [],
    events: [],
    keys: [],
    mails: [],
  };
}

function chooseStatus(x: number): Exclude<OrderStatus, 'pending'> {
  let acc = 0;
  for (const [status, share] of STATUS_SHARES) {
    acc += share;
    if (x < acc) return status;
  }
  return 'paid';
}

/** A Razorpay webhook envelope of the usual size (the raw body the shop keeps). */
function razorpayEventBody(type: string, entity: Record<string, unknown>, at: Date): string {
  const createdAt = Math.floor(at.getTime() / 1000);
  const kind = String(entity.entity);
  return JSON.stringify({
    entity: 'event',
    account_id: 'acc_HistorySeed001',
    event: type,
    contains: [kind],
    payload: {
      [kind]: {
        entity: {
          ...entity,
          amount_refunded: 0,
          refund_status: null,
          description: 'Order at the shop',
          card_id: null,
          bank: null,
          wallet: null,
          vpa: 'shopper@okbank',
          fee: 0,
          tax: 0,
          error_code: entity.error_code ?? null,
          error_description: null,
          error_source: null,
          error_step: null,
          error_reason: null,
          acquirer_data: { rrn: String(createdAt).padStart(12, '0') },
          created_at: createdAt,
        },
      },
    },
    created_at: createdAt,
  });
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv: string[]): SeedOptions & { json: boolean } {
  const options: SeedOptions & { json: boolean } = { orders: NaN, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${arg} needs a whole number`);
      return v;
    };
    if (arg === '--orders') options.orders = value();
    else if (arg === '--users') options.users = value();
    else if (arg === '--products') options.products = value();
    else if (arg === '--seed') options.seed = value();
    else if (arg === '--batch') options.batch = value();
    else if (arg === '--days') options.days = value();
    else if (arg === '--json') options.json = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(options.orders))
    throw new Error(
      'usage: npm run seed:history -- --orders N [--users U] [--products P] [--seed S] [--json]',
    );
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.error(`seed:history: ${line}`);
  let database: DatabaseHandle | undefined;
  let uri: string;
  if (process.env.MONGODB_URI?.trim()) {
    uri = process.env.MONGODB_URI.trim();
  } else {
    // The embedded default, where `npm start` keeps its data (stop the shop first).
    database = await startDatabase({ mode: 'persistent', log });
    uri = withDatabaseName(database.uri, 'shop');
  }
  try {
    const summary = await seedHistory(uri, { ...options, log });
    log(
      `${summary.orders} orders in ${summary.seconds.toFixed(1)} s: ${JSON.stringify(summary.byStatus)}; ` +
        `documents ${JSON.stringify(summary.documents)}; users sign in with password ${HISTORY_PASSWORD}, e.g. ${summary.busiestUser.email}`,
    );
    if (options.json) console.log(JSON.stringify(summary));
  } finally {
    await database?.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`seed:history failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

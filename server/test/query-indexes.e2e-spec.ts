// Every query the shop sends has an index on MongoDB, and every declared index serves a query
// (issue 12). The shop runs a workload that reaches every repository (settlement sequences from
// the property test, the operator and shopper lists with each filter and a second page, metrics,
// a reconciler cycle with retention); mongoose's debug hook records each query's filter and sort,
// and each shape must be a prefix of a declared index (equality fields, then the sort, then range
// fields), or look up by `_id`. The workload's seed is printed; QUERY_INDEXES_SEED repeats it.
import type { Model } from 'mongoose';
import mongoose from 'mongoose';
import {
  byId,
  byUniqueKey,
  DeclaredIndex,
  describeIndex,
  describeShape,
  IndexKeys,
  isPrefixOf,
  QueryShape,
  serves,
  shapesOf,
} from './support/index-shapes';
import { Catcher, startCatcher, stopCatcher } from './support/mail-catcher';
import { detectFeatures } from './support/property/features';
import { runSettlementProperty } from './support/property/runner';
import { PropertyStack, startPropertyStack } from './support/property/stack';
import { eventually } from './support/api';
import { ADMIN } from './support/test-app';

const DAY = 86_400_000;
const shapes = new Map<string, QueryShape>();

/** Filter and sort of one collection call, by the mongoose collection method's arguments. */
function record(collection: string, method: string, args: unknown[]): void {
  const options = (at: number) => (args[at] ?? {}) as { sort?: unknown };
  let queries: Array<{ filter: unknown; sort?: unknown }> = [];
  if (method === 'find' || method === 'findOne') {
    queries = [{ filter: args[0], sort: options(1).sort }];
  } else if (/^findOneAnd/.test(method)) {
    queries = [{ filter: args[0], sort: options(method === 'findOneAndDelete' ? 1 : 2).sort }];
  } else if (/^(update|delete|replace)(One|Many)$|^count(Documents)?$/.test(method)) {
    queries = [{ filter: args[0] }];
  } else if (method === 'distinct') {
    queries = [{ filter: args[1] }];
  } else if (method === 'aggregate') {
    const stages = (args[0] ?? []) as Array<Record<string, unknown>>;
    queries = [
      { filter: stages.find((s) => s.$match)?.$match, sort: stages.find((s) => s.$sort)?.$sort },
    ];
  } else if (method === 'bulkWrite') {
    const operations = (args[0] ?? []) as Array<Record<string, { filter?: unknown }>>;
    queries = operations
      .map((op) => Object.values(op)[0]?.filter)
      .filter((filter) => filter !== undefined)
      .map((filter) => ({ filter }));
  }
  for (const { filter, sort } of queries) {
    for (const shape of shapesOf(collection, method, filter, sort)) {
      shapes.set(describeShape(shape), shape);
    }
  }
}

function declaredIndexes(): DeclaredIndex[] {
  const seen = new Map<string, DeclaredIndex>();
  for (const connection of mongoose.connections) {
    for (const model of Object.values(connection.models) as Model<unknown>[]) {
      for (const [fields, options] of model.schema.indexes()) {
        const index: DeclaredIndex = {
          collection: model.collection.name,
          keys: Object.entries(fields).map(([f, d]) => [f, d === -1 ? -1 : 1]) as IndexKeys,
          unique: Boolean((options as { unique?: boolean }).unique),
        };
        seen.set(describeIndex(index), index);
      }
    }
  }
  return [...seen.values()];
}

describe('Query indexes: every query shape has a declared index (e2e)', () => {
  let stack: PropertyStack;
  let catcher: Catcher;
  let admin: string;

  beforeAll(async () => {
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) =>
      record(collection, method, args),
    );
    catcher = await startCatcher();
    stack = await startPropertyStack('query-indexes', {
      SMTP_URL: catcher.smtpUrl,
      MAIL_POLL_SECONDS: '1',
    });
    const login = await stack.http().post('/api/auth/login').send(ADMIN).expect(200);
    admin = (login.body as { accessToken: string }).accessToken;
  }, 60_000);
  afterAll(async () => {
    mongoose.set('debug', false);
    await stack?.close();
    await stopCatcher(catcher);
  });

  const asAdmin = (path: string) =>
    stack.http().get(path).set('Authorization', `Bearer ${admin}`).expect(200);

  it('runs a workload through every repository', async () => {
    const probe = await stack
      .http()
      .post('/api/products')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'Index probe', price: 10000, stock: 5, description: 'probe' })
      .expect(201);
    const productId = (probe.body as { id: string }).id;
    const features = await detectFeatures(stack, productId, admin);
    const seed = Number(process.env.QUERY_INDEXES_SEED ?? Date.now() % 2 ** 31);
    console.log(`query indexes: seed ${seed} (QUERY_INDEXES_SEED=${seed} repeats it)`);
    const outcome = await runSettlementProperty(stack, features, admin, {
      runs: 6,
      seed,
      maxCommands: 8,
      shrinkBudgetMs: 10_000,
      log: () => undefined,
    });
    if (outcome.failed) throw new Error(outcome.report);

    // A signed-in shopper with an order: my orders and the purchase check.
    const shopper = await stack
      .http()
      .post('/api/auth/register')
      .send({
        name: 'Index shopper',
        email: `indexes${seed}@example.com`,
        password: 'correct-horse-1',
      })
      .expect(201);
    const token = (shopper.body as { accessToken: string }).accessToken;
    const placed = await stack
      .http()
      .post('/api/orders')
      .set('Authorization', `Bearer ${token}`)
      .send({
        items: [{ productId, quantity: 1 }],
        customer: {
          name: 'Index shopper',
          email: `indexes${seed}@example.com`,
          contact: '+919876543210',
        },
      })
      .expect(201);
    const order = placed.body as { id: string; orderNumber: string };
    for (const path of ['/api/me/orders', `/api/me/purchases/${productId}`]) {
      await stack.http().get(path).set('Authorization', `Bearer ${token}`).expect(200);
    }
    await stack.http().get('/api/products').expect(200);
    await stack.http().get(`/api/products/${productId}`).expect(200);

    // Operator lists with each filter, and the page after the first.
    const today = new Date().toISOString();
    const weekAgo = new Date(Date.now() - 7 * DAY).toISOString();
    for (const query of [
      '',
      'status=paid',
      'status=pending',
      `email=indexes${seed}@example.com`,
      `orderNumber=${order.orderNumber}`,
      `from=${weekAgo}&to=${today}`,
      `status=paid&from=${weekAgo}`,
    ]) {
      const page = await asAdmin(`/api/admin/orders?limit=1&${query}`);
      const next = (page.body as { nextBefore?: string }).nextBefore;
      if (next) await asAdmin(`/api/admin/orders?limit=1&${query}&before=${next}`);
    }
    // One order paid for certain (the random sequences above may leave none paid, as seed
    // 1316363089 did): paid at the sandbox, captured, its webhooks delivered.
    const toPay = (
      await stack
        .http()
        .post('/api/orders')
        .send({
          items: [{ productId, quantity: 1 }],
          customer: {
            name: 'Index guest',
            email: 'indexes-guest@example.com',
            contact: '+919876543210',
          },
        })
        .expect(201)
    ).body as { id: string; razorpayOrderId: string };
    await stack
      .sandbox('post', '/_sandbox/payments')
      .send({ order_id: toPay.razorpayOrderId, outcome: 'success' })
      .expect(200);
    await stack.sandbox('post', '/_sandbox/flush').send({}).expect(200);
    await eventually(async () => {
      const detail = await asAdmin(`/api/admin/orders/${toPay.id}`);
      return (detail.body as { status: string }).status === 'paid';
    });
    await asAdmin(`/api/admin/orders/${order.id}`);
    const paid = await asAdmin('/api/admin/orders?limit=1&status=paid');
    const paidOrder = (paid.body as { items: Array<{ id: string }> }).items[0];
    expect(paidOrder).toBeDefined();
    await stack
      .http()
      .post(`/api/admin/orders/${paidOrder.id}/refunds`)
      .set('Authorization', `Bearer ${admin}`)
      .set('Idempotency-Key', `index-refund-${seed}`)
      .send({ amount: 100 })
      .expect((res) => expect([201, 409, 422]).toContain(res.status));
    for (const query of ['', 'status=processed', 'event=payment.captured']) {
      const page = await asAdmin(`/api/admin/webhook-events?limit=1&${query}`);
      const next = (page.body as { nextBefore?: string }).nextBefore;
      if (next) await asAdmin(`/api/admin/webhook-events?limit=1&${query}&before=${next}`);
    }
    // The sender polls every second: let it pick up the confirmations the sequences queued.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    for (const query of [
      '',
      'status=sent',
      `to=indexes${seed}@example.com`,
      `orderId=${order.id}`,
    ]) {
      await asAdmin(`/api/admin/outbox?${query}`);
    }
    await asAdmin('/api/metrics');

    // A reconciler cycle far enough ahead that orders expire and retention has work to do.
    const reconciler = stack.get<{ runOnce(now?: Date): Promise<unknown> }>('ReconcilerService');
    await reconciler.runOnce(new Date(Date.now() + 40 * DAY));

    // A payment that lands on the order it just expired: flagged and refunded on its own.
    const expiredOrder = (await asAdmin(`/api/admin/orders/${order.id}`)).body as {
      status: string;
      razorpayOrderId: string;
    };
    expect(expiredOrder.status).toBe('expired');
    await stack
      .sandbox('post', '/_sandbox/payments')
      .send({ order_id: expiredOrder.razorpayOrderId, outcome: 'success' })
      .expect(200);
    const deadline = Date.now() + 20_000;
    let flagged: Array<{ refunded: boolean }> = [];
    while (Date.now() < deadline && !flagged.some((f) => f.refunded)) {
      await reconciler.runOnce();
      flagged = (await asAdmin(`/api/admin/orders/${order.id}`)).body.flaggedPayments;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(flagged).toEqual([expect.objectContaining({ refunded: true })]);
  }, 240_000);

  it('finds a declared index whose leading keys are each query shape', () => {
    const indexes = declaredIndexes();
    const unserved = [...shapes.values()]
      .filter((shape) => shape.equality.length + shape.sort.length + shape.range.length > 0)
      .filter((shape) => !byId(shape) && !byUniqueKey(indexes, shape))
      .filter((shape) => !indexes.some((index) => serves(index, shape)))
      .map(describeShape);
    console.log(
      `query indexes: ${shapes.size} query shapes, ${indexes.length} declared indexes\n` +
        [...shapes.keys()].sort().join('\n'),
    );
    expect(unserved).toEqual([]);
  });

  it('declares no index that no query uses, unless it enforces uniqueness', () => {
    const all = [...shapes.values()];
    const unused = declaredIndexes()
      .filter((index) => !index.unique && !all.some((shape) => serves(index, shape)))
      .map(describeIndex);
    expect(unused).toEqual([]);
  });

  it('declares no index whose keys lead another one (the longer serves its queries)', () => {
    const indexes = declaredIndexes();
    const redundant = indexes
      .filter((index) => !index.unique && indexes.some((other) => isPrefixOf(index, other)))
      .map(describeIndex);
    expect(redundant).toEqual([]);
  });
});

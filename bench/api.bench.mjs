// The shop's API benchmarks (issue 4, "Tests and benchmarks"), over HTTP against the built server
// (`node dist/api/server/src/main.js`, ephemeral embedded database, sandbox Razorpay):
//   1. order placement   — concurrency 50, orders/s and p50/p99
//   2. webhook ingest    — 5,000 signed deliveries, ~20% re-sent, shuffled, concurrency 32; then an
//                          exactly-once check of every order touched
//   3. flash sale        — 2,000 order requests for 100 units at concurrency 200: 0 oversold, 0 5xx
//   4. peak RSS          — VmHWM of the server process (and of the database it started)
// Rates are printed beside the floor (bench/floor.mjs) measured in the same run, as a ratio.
//
//   node bench/api.bench.mjs [--floor-json <file>] [--json <file>]
// Without --floor-json it measures the floor itself first. Sizes: BENCH_ORDERS (2000), BENCH_EVENTS
// (5000), BENCH_FLASH_REQUESTS (2000); each timed phase stops sending after BENCH_MAX_PHASE_SECONDS
// (60; the flash sale BENCH_FLASH_MAX_SECONDS, 120) and says so, so a slow machine still finishes.
// BENCH_SHOPPER=signed-in places the orders as 100 signed-in customers in turn instead of guests.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { FLOOR_DEFAULTS, measureFloor, printFloor } from './floor.mjs';
import {
  childPids,
  commandCounts,
  commandsPerRequest,
  cpuSecondsOf,
  EVENT_TYPES,
  ensureServerBuild,
  fmt,
  httpClient,
  loadLoop,
  machineInfo,
  memoryOf,
  planDeliveries,
  printMachine,
  printTable,
  prng,
  SANDBOX_KEY,
  signedPaymentEvent,
  startShop,
  statusSummary,
} from './lib.mjs';

/** Customers taking turns with BENCH_SHOPPER=signed-in (each pays ~13 of the webhook phase's orders). */
const SHOPPERS = 100;

export const SIZES = {
  orders: Number(process.env.BENCH_ORDERS ?? 2_000),
  orderConcurrency: 50,
  events: Number(process.env.BENCH_EVENTS ?? 5_000),
  duplicateShare: 0.2,
  eventConcurrency: 32,
  flashRequests: Number(process.env.BENCH_FLASH_REQUESTS ?? 2_000),
  flashStock: 100,
  flashConcurrency: 200,
  maxSeconds: Number(process.env.BENCH_MAX_PHASE_SECONDS ?? 60),
  flashMaxSeconds: Number(process.env.BENCH_FLASH_MAX_SECONDS ?? 120),
  warmupOrders: 10,
};

export const CUSTOMER = {
  name: 'Bench Customer',
  email: 'bench.customer@example.com',
  contact: '+919876543210',
};

const SANDBOX_CONTROL = {
  authorization: `Basic ${Buffer.from(`${SANDBOX_KEY.id}:${SANDBOX_KEY.secret}`).toString('base64')}`,
};

/**
 * Pays each order at Razorpay (the sandbox in the shop's process), untimed, and returns the
 * payment ids: the shop captures an authorised payment and asks Razorpay when in doubt, so the
 * events must be about payments Razorpay has. The sandbox's own deliveries are switched off first;
 * the bench sends the events itself.
 */
async function payAtRazorpay(json, orders) {
  await json('PUT', '/sandbox/razorpay/_sandbox/endpoint', { enabled: false }, SANDBOX_CONTROL);
  const paymentIds = new Map();
  for (let i = 0; i < orders.length; i += 16) {
    await Promise.all(
      orders.slice(i, i + 16).map(async (order) => {
        const paid = await json(
          'POST',
          '/sandbox/razorpay/_sandbox/payments',
          { order_id: order.razorpayOrderId, outcome: 'success' },
          SANDBOX_CONTROL,
        );
        paymentIds.set(order.id, paid.razorpay_payment_id);
      }),
    );
  }
  return paymentIds;
}

function cpuSnapshot(shop, dbPid) {
  return { server: cpuSecondsOf(shop.pid), db: dbPid ? cpuSecondsOf(dbPid) : NaN };
}
function cpuSince(shop, dbPid, before) {
  const now = cpuSnapshot(shop, dbPid);
  return { server: now.server - before.server, db: now.db - before.db };
}

/**
 * Documents the shop's write commands carried (shop_database_write_statements_total): what a
 * group commit does not reduce, beside the commands FerretDB counts.
 */
async function statementsWritten(ctx) {
  if (!ctx.metricsHeaders) return null;
  const res = await ctx.client.request('GET', '/api/metrics', { headers: ctx.metricsHeaders });
  if (res.status !== 200) return null;
  let total = 0;
  for (const m of res.body.matchAll(/^shop_database_write_statements_total\{[^}]*\} (\d+)/gm))
    total += Number(m[1]);
  return total;
}

/** Runs one timed phase with CPU and database-command accounting around it. */
async function phase(ctx, options) {
  // Scraped outside the counted window: a scrape's own reads are not the phase's.
  const statements0 = await statementsWritten(ctx).catch(() => null);
  const cpu0 = cpuSnapshot(ctx.shop, ctx.dbPid);
  const commands0 = await commandCounts(ctx.db).catch(() => null);
  const result = await loadLoop({ client: ctx.client, maxSeconds: SIZES.maxSeconds, ...options });
  const cpu = cpuSince(ctx.shop, ctx.dbPid, cpu0);
  const commands1 = await commandCounts(ctx.db).catch(() => null);
  const statements1 = await statementsWritten(ctx).catch(() => null);
  const dbCommands = commandsPerRequest(commands0, commands1, result.total);
  if (dbCommands && statements0 !== null && statements1 !== null)
    dbCommands.documentsWritten = (statements1 - statements0) / result.total;
  return { ...result, cpuSeconds: cpu, dbCommands };
}

export async function runApiBench({ floor }) {
  const build = ensureServerBuild();
  console.log(
    `server build: dist/api/server/src/main.js from ${build.builtAt}${build.stale ? ' (WARNING: server/src or sandbox/src is newer; run `npx nest build`)' : ''}`,
  );
  const shop = await startShop();
  const client = httpClient(shop.port, SIZES.flashConcurrency);
  let dbConnection;
  const results = { sizes: SIZES, build };
  try {
    const dbPid = childPids(shop.pid).find((c) => c.name.startsWith('ferretdb'))?.pid;
    if (shop.dbUri) {
      dbConnection = await mongoose
        .createConnection(shop.dbUri, { maxPoolSize: 1, serverSelectionTimeoutMS: 5_000 })
        .asPromise();
    }
    const ctx = { shop, client, dbPid, db: dbConnection?.db, connection: dbConnection };
    console.log(
      `shop: pid ${shop.pid} on port ${shop.port}; database ${shop.dbUri ?? 'unknown'} (pid ${dbPid ?? '?'})`,
    );

    // --- setup (untimed) ------------------------------------------------------------------
    const json = async (method, path, body, headers = {}) => {
      const res = await client.request(method, path, { body, headers });
      if (res.status >= 300)
        throw new Error(`${method} ${path} → ${res.status}: ${res.body.slice(0, 300)}`);
      return JSON.parse(res.body);
    };
    const { accessToken } = await json('POST', '/api/auth/login', {
      email: 'bench@example.com',
      password: 'bench-password-1',
    });
    const admin = { authorization: `Bearer ${accessToken}` };
    ctx.metricsHeaders = admin;
    const product = await json(
      'POST',
      '/api/products',
      { name: 'Bench tee', price: 49_900, stock: 10_000_000, description: 'Benchmark product' },
      admin,
    );
    const flash = await json(
      'POST',
      '/api/products',
      {
        name: 'Flash sale sneaker',
        price: 99_900,
        stock: SIZES.flashStock,
        description: 'Flash sale',
      },
      admin,
    );
    // BENCH_SHOPPER=signed-in: orders are placed by SHOPPERS signed-in customers in turn (guests'
    // by default), so paying one also notes its customer's entitlement (one more document).
    const shoppers = [];
    if (process.env.BENCH_SHOPPER === 'signed-in') {
      const registered = await Promise.all(
        Array.from({ length: SHOPPERS }, (_, n) =>
          json('POST', '/api/auth/register', {
            name: CUSTOMER.name,
            email: `bench-shopper-${n}-${process.pid}@example.com`,
            password: 'bench-shopper-password-1',
          }),
        ),
      );
      shoppers.push(...registered.map((r) => ({ authorization: `Bearer ${r.accessToken}` })));
    }
    const orderRequest = (productId) => {
      const body = Buffer.from(
        JSON.stringify({ items: [{ productId, quantity: 1 }], customer: CUSTOMER }),
      );
      return (i) => ({
        method: 'POST',
        path: '/api/orders',
        headers: shoppers.length > 0 ? shoppers[i % shoppers.length] : {},
        body,
      });
    };
    const placeRequest = orderRequest(product.id);

    // Warm-up: JIT, connection pools, the sandbox; these orders also receive webhooks (untimed).
    const warm = await loadLoop({
      client,
      total: SIZES.warmupOrders,
      concurrency: 10,
      make: placeRequest,
      keepBodies: true,
    });
    const warmOrders = warm.bodies
      .filter((_, i) => warm.statuses[i] === 201)
      .map((b) => JSON.parse(b));

    // --- 1. order placement ---------------------------------------------------------------
    console.log(
      `\n[orders] placing ${SIZES.orders} orders at concurrency ${SIZES.orderConcurrency}...`,
    );
    const orders = await phase(ctx, {
      total: SIZES.orders,
      concurrency: SIZES.orderConcurrency,
      make: placeRequest,
      keepBodies: true,
    });
    const placed = orders.bodies
      .filter((_, i) => orders.statuses[i] === 201)
      .map((b) => JSON.parse(b));
    results.orders = { ...strip(orders), created: placed.length };

    // --- 2. webhook ingest ----------------------------------------------------------------
    // Each paid order gets what Razorpay sends for a captured UPI payment: payment.authorized,
    // payment.captured and order.paid (three distinct event ids racing for the one pending → paid
    // move); ~20% of deliveries are re-sends of an event id already in the list. All shuffled.
    const uniqueTarget = Math.round(SIZES.events * (1 - SIZES.duplicateShare));
    let ordersNeeded = Math.ceil(uniqueTarget / EVENT_TYPES.length);
    const pool = [...placed];
    if (pool.length < ordersNeeded && !orders.truncated) {
      console.log(
        `[webhooks] placing ${ordersNeeded - pool.length} more orders first (untimed)...`,
      );
      const extra = await loadLoop({
        client,
        maxSeconds: SIZES.maxSeconds,
        total: ordersNeeded - pool.length,
        concurrency: SIZES.orderConcurrency,
        make: placeRequest,
        keepBodies: true,
      });
      pool.push(
        ...extra.bodies.filter((_, i) => extra.statuses[i] === 201).map((b) => JSON.parse(b)),
      );
    }
    let totalDeliveries = SIZES.events;
    if (pool.length < ordersNeeded) {
      // The order phase hit its time cap: plan the same mix over the orders there are.
      ordersNeeded = pool.length;
      totalDeliveries = Math.round(
        (ordersNeeded * EVENT_TYPES.length) / (1 - SIZES.duplicateShare),
      );
      console.log(
        `[webhooks] only ${pool.length} orders exist (order phase hit its time cap): planning ${totalDeliveries} deliveries instead of ${SIZES.events}`,
      );
    }
    const targets = pool.slice(0, ordersNeeded);
    const paymentIds = await payAtRazorpay(json, [...warmOrders.slice(0, 5), ...targets]);
    const now = Math.floor(Date.now() / 1000);
    const random = prng(20260101);
    const makeEvent = (order, type, n) =>
      signedPaymentEvent({
        eventId: `evt_bench_${order.id}_${n}`,
        type,
        paymentId: paymentIds.get(order.id),
        razorpayOrderId: order.razorpayOrderId,
        amount: order.amount,
        createdAt: now,
      });
    const { unique, duplicates, deliveries } = planDeliveries(
      targets,
      makeEvent,
      totalDeliveries,
      random,
    );
    // Warm-up for the webhook path on the warm-up orders (untimed, verified with the rest).
    const warmTargets = warmOrders.slice(0, 5);
    const { deliveries: warmDeliveries } = planDeliveries(
      warmTargets,
      makeEvent,
      warmTargets.length * EVENT_TYPES.length,
      random,
    );
    const webhookRequest = ({ event }) => ({
      method: 'POST',
      path: '/api/webhooks/razorpay',
      body: event.raw,
      headers: event.headers,
    });
    await loadLoop({
      client,
      total: warmDeliveries.length,
      concurrency: SIZES.eventConcurrency,
      make: (i) => webhookRequest(warmDeliveries[i]),
    });

    console.log(
      `[webhooks] ${deliveries.length} deliveries (${unique.length} events for ${targets.length} orders + ${duplicates.length} re-sent) at concurrency ${SIZES.eventConcurrency}...`,
    );
    const ingest = await phase(ctx, {
      total: deliveries.length,
      concurrency: SIZES.eventConcurrency,
      make: (i) => webhookRequest(deliveries[i]),
      keepBodies: true,
    });
    const answers = { processed: 0, duplicate: 0, other: 0 };
    for (const body of ingest.bodies) {
      const status = safeJson(body)?.status;
      answers[status === 'processed' || status === 'duplicate' ? status : 'other']++;
    }
    results.webhooks = {
      ...strip(ingest),
      unique: unique.length,
      resent: duplicates.length,
      orders: targets.length,
      answers,
    };

    // A re-send that arrives while another delivery of the same event holds it is answered 409
    // (not acknowledged), and Razorpay delivers it again later: so does the bench, untimed.
    const redelivered = await redeliverInProgress(client, ingest, deliveries, webhookRequest);
    results.webhooks.redelivered = redelivered.attempts.length;

    // Exactly-once check (untimed) over every order that received a delivery, warm-up included.
    const sent = new Map(); // order id → { order, deliveries per event id, payment-moving event sent }
    // Deliveries answered 200, or 409 "in progress" (the shop counts those too), count; any other
    // answer is reported as a problem of its own.
    const note = ({ order, event }, ok) => {
      if (!ok) return;
      const entry = sent.get(order.id) ?? { order, perEvent: new Map(), paying: false };
      entry.perEvent.set(event.id, (entry.perEvent.get(event.id) ?? 0) + 1);
      if (event.type !== 'payment.authorized') entry.paying = true;
      sent.set(order.id, entry);
    };
    warmDeliveries.forEach((d) => note(d, true));
    deliveries
      .slice(0, ingest.total)
      .forEach((d, i) => note(d, ingest.statuses[i] === 200 || isInProgress(ingest, i)));
    for (const a of redelivered.attempts)
      note(deliveries[a.index], a.status === 200 || a.inProgress);
    results.exactlyOnce = await verifyExactlyOnce(
      ctx,
      admin,
      [...sent.values()],
      ingest,
      unique.length,
      redelivered,
    );
    results.exactlyOnce.via = ctx.verifiedIn;

    // --- 3. flash sale --------------------------------------------------------------------
    console.log(
      `\n[flash] ${SIZES.flashRequests} order requests for ${SIZES.flashStock} units at concurrency ${SIZES.flashConcurrency}...`,
    );
    const flashRequest = orderRequest(flash.id);
    const sale = await phase(ctx, {
      total: SIZES.flashRequests,
      concurrency: SIZES.flashConcurrency,
      make: flashRequest,
      maxSeconds: SIZES.flashMaxSeconds,
      keepBodies: true,
    });
    const errorBodies = sale.bodies
      .filter((_, i) => sale.statuses[i] >= 500 || sale.statuses[i] === 0)
      .map((b) => safeJson(b)?.message ?? b.slice(0, 120));
    const finalStock = (await json('GET', `/api/products/${flash.id}`)).stock;
    const created = sale.byStatus[201] ?? 0;
    const serverErrors = Object.entries(sale.byStatus)
      .filter(([s]) => Number(s) >= 500 || s === '0')
      .reduce((n, [, c]) => n + c, 0);
    results.flash = {
      ...strip(sale),
      created,
      outOfStock: sale.byStatus[409] ?? 0,
      serverErrors,
      finalStock,
      oversold: Math.max(0, created - SIZES.flashStock),
      stockConsistent: finalStock === SIZES.flashStock - created && finalStock >= 0,
      errorMessages: [...new Set(errorBodies)].slice(0, 5),
    };

    // --- 4. memory ------------------------------------------------------------------------
    results.memory = { server: memoryOf(shop.pid), db: dbPid ? memoryOf(dbPid) : null };
    results.metrics = await client.request('GET', '/api/metrics').then(
      (r) => pickMetrics(r.body),
      () => null,
    );
  } finally {
    await dbConnection?.close().catch(() => undefined);
    client.close();
    await shop.stop();
    results.serverWarnings = [...shop.warnings]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([message, count]) => ({ count, message }));
  }
  results.floor = floor;
  printApiResults(results);
  return results;
}

/**
 * The state of each order as the admin API shows it ({status, history, payments, refundRequired,
 * webhookEvents}). Read straight from the database when its URI is known (three collection reads
 * instead of one admin request per order, which would scan the collections once per order on
 * FerretDB/SQLite); otherwise through GET /api/admin/orders/:id.
 */
async function orderDetails(ctx, admin, entries) {
  const db = ctx.db ? await shopDatabase(ctx.connection) : null;
  if (db) {
    ctx.verifiedIn = `database "${db.databaseName}"`;
    const { Types } = mongoose;
    const ids = entries.map((e) => new Types.ObjectId(e.order.id));
    const [orders, payments, events] = await Promise.all([
      db
        .collection('orders')
        .find({ _id: { $in: ids } })
        .toArray(),
      db.collection('payments').find({}).toArray(),
      db.collection('webhook_events').find({}).toArray(),
    ]);
    const byId = new Map(orders.map((o) => [o._id.toHexString(), o]));
    const paymentsOf = groupBy(
      payments.filter((p) => p.orderId),
      (p) => p.orderId.toHexString(),
    );
    const eventsOf = groupBy(
      events.filter((e) => e.razorpayOrderId),
      (e) => e.razorpayOrderId,
    );
    return entries.map((e) => {
      const o = byId.get(e.order.id);
      if (!o) return { error: 'not in the database' };
      return {
        status: o.status,
        history: o.history,
        refundRequired: o.refundRequired,
        refundRequiredReason: o.refundRequiredReason,
        payments: paymentsOf.get(e.order.id) ?? [],
        webhookEvents: (eventsOf.get(o.razorpayOrderId) ?? []).map((ev) => ({
          id: ev._id,
          status: ev.status,
          deliveries: ev.deliveries,
        })),
      };
    });
  }
  ctx.verifiedIn = 'admin API';
  const detail = await loadLoop({
    client: ctx.client,
    total: entries.length,
    concurrency: 16,
    keepBodies: true,
    make: (i) => ({
      method: 'GET',
      path: `/api/admin/orders/${entries[i].order.id}`,
      headers: admin,
    }),
  });
  return entries.map((_, i) =>
    detail.statuses[i] === 200
      ? JSON.parse(detail.bodies[i])
      : { error: `GET answered ${detail.statuses[i]}` },
  );
}

/** The database the shop writes to (the launcher's URI has none; the shop picks its own name). */
async function shopDatabase(connection) {
  try {
    const { databases } = await connection.db.admin().command({ listDatabases: 1, nameOnly: true });
    for (const { name } of databases) {
      const db = connection.getClient().db(name);
      const collections = await db
        .listCollections({ name: 'orders' }, { nameOnly: true })
        .toArray();
      if (collections.length > 0) return db;
    }
  } catch {
    // fall back to the admin API
  }
  return null;
}

/** The shop's answer to a delivery while another delivery holds the same event. */
function isInProgressAnswer(status, answer) {
  return status === 409 && answer?.code === 'WEBHOOK_IN_PROGRESS';
}

function isInProgress(ingest, i) {
  return isInProgressAnswer(ingest.statuses[i], safeJson(ingest.bodies[i]));
}

/**
 * Delivers again, as Razorpay would, each delivery the shop answered 409 "in progress", until it
 * is answered otherwise (at most 10 tries, 100 ms apart). Returns every attempt and, per delivery
 * index, the final answer.
 */
async function redeliverInProgress(client, ingest, deliveries, webhookRequest) {
  const attempts = [];
  const finalStatus = new Map();
  for (let index = 0; index < ingest.total; index++) {
    if (!isInProgress(ingest, index)) continue;
    for (let tries = 0; tries < 10; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      const { method, path, body, headers } = webhookRequest(deliveries[index]);
      const res = await client.request(method, path, { body, headers });
      const answer = safeJson(res.body);
      const inProgress = isInProgressAnswer(res.status, answer);
      attempts.push({ index, status: res.status, inProgress, answer: answer?.status });
      finalStatus.set(index, res.status);
      if (!inProgress) break;
    }
  }
  return { attempts, finalStatus };
}

async function verifyExactlyOnce(ctx, admin, entries, ingest, uniqueCount, redelivered) {
  const problems = [];
  const details = await orderDetails(ctx, admin, entries);
  let paid = 0;
  entries.forEach((entry, i) => {
    const where = `order ${entry.order.id}`;
    const o = details[i];
    if (o.error) return problems.push(`${where}: ${o.error}`);
    const paidEntries = o.history.filter((h) => h.status === 'paid').length;
    if (entry.paying) {
      if (o.status !== 'paid') problems.push(`${where}: status ${o.status}, expected paid`);
      if (paidEntries !== 1) problems.push(`${where}: ${paidEntries} 'paid' history entries`);
      else paid++;
    } else if (o.status !== 'pending')
      problems.push(`${where}: status ${o.status} without a captured payment`);
    if (o.payments.length !== 1) problems.push(`${where}: ${o.payments.length} payment records`);
    if (o.refundRequired)
      problems.push(`${where}: flagged refundRequired (${o.refundRequiredReason})`);
    const stored = new Map(o.webhookEvents.map((e) => [e.id, e]));
    for (const [eventId, times] of entry.perEvent) {
      const e = stored.get(eventId);
      if (!e) problems.push(`${where}: event ${eventId} not stored`);
      else if (e.status !== 'processed') problems.push(`${where}: event ${eventId} is ${e.status}`);
      else if (e.deliveries !== times)
        problems.push(
          `${where}: event ${eventId} counted ${e.deliveries} deliveries, sent ${times}`,
        );
    }
    if (stored.size !== entry.perEvent.size)
      problems.push(`${where}: ${stored.size} events stored, ${entry.perEvent.size} distinct sent`);
  });
  // Every delivery answered 200 (an "in progress" 409 once delivered again); each distinct event
  // 'processed' once, every re-send 'duplicate'.
  let non200 = 0;
  for (let i = 0; i < ingest.total; i++) {
    const final = isInProgress(ingest, i) ? redelivered.finalStatus.get(i) : ingest.statuses[i];
    if (final !== 200) non200++;
  }
  if (non200 > 0)
    problems.push(
      `${non200} deliveries not answered 200 (${statusSummary(ingest.byStatus)}${Object.keys(ingest.socketErrors).length ? `; socket errors ${JSON.stringify(ingest.socketErrors)}` : ''})`,
    );
  let processed = 0;
  let duplicate = 0;
  const answers = [
    ...ingest.bodies.map((body) => safeJson(body)?.status),
    ...redelivered.attempts.map((a) => a.answer),
  ];
  for (const s of answers) {
    if (s === 'processed') processed++;
    else if (s === 'duplicate') duplicate++;
  }
  if (!ingest.truncated && processed !== uniqueCount)
    problems.push(
      `${processed} deliveries answered 'processed' for ${uniqueCount} distinct events`,
    );
  const distinctSent = new Set();
  for (const e of entries) for (const id of e.perEvent.keys()) distinctSent.add(id);
  return {
    ok: problems.length === 0,
    ordersChecked: entries.length,
    ordersPaid: paid,
    processedAnswers: processed,
    duplicateAnswers: duplicate,
    distinctEventsSent: distinctSent.size,
    uniqueInPlan: uniqueCount,
    redeliveredInProgress: redelivered.attempts.length,
    problems: problems.slice(0, 20),
    problemCount: problems.length,
  };
}

function pickMetrics(text) {
  const keep = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    if (/duplicate|signature|orphan|late|transition/i.test(line))
      keep[line.split(' ')[0]] = Number(line.split(' ').at(-1));
  }
  return keep;
}

function groupBy(items, key) {
  const map = new Map();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, []);
    map.get(k).push(item);
  }
  return map;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function strip({ statuses: _statuses, bodies: _bodies, ...rest }) {
  return rest;
}

const floorRate = (floor) => floor?.rate;

export function printApiResults(r) {
  const floor = floorRate(r.floor);
  const row = (name, x, unit) => [
    name,
    x.truncated ? `${x.total} of ${x.requested} (time cap)` : x.total,
    x.concurrency,
    x.seconds.toFixed(1),
    `${fmt.rate(x.rate)} ${unit}`,
    fmt.ratio(x.rate / floor),
    fmt.ms(x.p50),
    fmt.ms(x.p99),
    statusSummary(x.byStatus),
  ];
  console.log('\n== API benchmarks (ratios are to the floor measured in this run) ==');
  printTable(
    ['bench', 'requests', 'conc', 'seconds', 'rate', 'vs floor', 'p50 ms', 'p99 ms', 'statuses'],
    [
      r.floor ? row('floor (bare http + insert + update)', r.floor, 'req/s') : null,
      r.orders ? row('order placement', r.orders, 'orders/s') : null,
      r.webhooks ? row('webhook ingest', r.webhooks, 'events/s') : null,
      r.flash ? row('flash sale', r.flash, 'req/s') : null,
    ].filter(Boolean),
  );
  for (const [name, x] of [
    ['order placement', r.orders],
    ['webhook ingest', r.webhooks],
    ['flash sale', r.flash],
  ]) {
    if (!x) continue;
    const c = x.dbCommands;
    console.log(
      `  ${name}: per-quarter rate ${x.quarterRates.map(fmt.rate).join(' / ')}; CPU s server ${x.cpuSeconds.server.toFixed(1)}, db ${x.cpuSeconds.db.toFixed(1)}` +
        (c
          ? `; db commands per request: ${c.writes.toFixed(2)} writes${c.documentsWritten === undefined ? '' : ` (${c.documentsWritten.toFixed(2)} documents)`}, ${c.reads.toFixed(2)} reads (${Object.entries(
              c.byCommand,
            )
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`
          : ''),
    );
  }
  if (r.webhooks) {
    const e = r.exactlyOnce;
    console.log(
      `\nwebhook exactly-once: ${e.ok ? 'PASS' : 'FAIL'} — ${e.ordersChecked} orders checked, ${e.ordersPaid} paid with exactly one 'paid' history entry; ` +
        `timed run answered ${e.processedAnswers} processed + ${e.duplicateAnswers} duplicate for ${e.uniqueInPlan} distinct events ` +
        `(${e.redeliveredInProgress} redelivered after a 409 "in progress"; checked via ${e.via})`,
    );
    for (const p of e.problems) console.log(`  problem: ${p}`);
    if (e.problemCount > e.problems.length)
      console.log(`  ... and ${e.problemCount - e.problems.length} more`);
  }
  if (r.flash) {
    const f = r.flash;
    console.log(
      `flash sale: ${f.created} created (201), ${f.outOfStock} out of stock (409), ${f.serverErrors} 5xx/socket errors, final stock ${f.finalStock}; ` +
        `oversold: ${f.oversold}${f.stockConsistent ? '' : ' (STOCK INCONSISTENT)'}`,
    );
    for (const m of f.errorMessages ?? []) console.log(`  5xx answer: ${m}`);
    if (Object.keys(f.socketErrors ?? {}).length)
      console.log(`  socket errors: ${JSON.stringify(f.socketErrors)}`);
  }
  if (r.serverWarnings?.length) {
    console.log('server warnings/errors during the run (count, normalised message):');
    for (const w of r.serverWarnings) console.log(`  ${String(w.count).padStart(5)}  ${w.message}`);
  }
  if (r.memory) {
    console.log(
      `peak RSS (VmHWM): server ${fmt.mb(r.memory.server.peakMb)} MB` +
        (r.memory.db ? `, its database ${fmt.mb(r.memory.db.peakMb)} MB` : ''),
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) =>
    process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
  printMachine();
  let floor;
  if (arg('--floor-json')) floor = JSON.parse(readFileSync(arg('--floor-json'), 'utf8'));
  else {
    console.log('measuring the floor first...');
    floor = await measureFloor(FLOOR_DEFAULTS);
    printFloor(floor);
  }
  const results = await runApiBench({ floor });
  results.machine = machineInfo();
  if (arg('--json')) writeFileSync(arg('--json'), JSON.stringify(results, null, 2));
  const failed = [];
  if (results.exactlyOnce && !results.exactlyOnce.ok) failed.push('webhook exactly-once');
  if (
    results.flash &&
    (results.flash.oversold > 0 || results.flash.serverErrors > 0 || !results.flash.stockConsistent)
  )
    failed.push('flash sale');
  if (failed.length) {
    console.log(`\nCORRECTNESS FAILED: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

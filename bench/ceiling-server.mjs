// The least work the shop's design needs per request, without the shop: a bare node:http server
// (no framework, no validation, no auth, no logging, no metrics, no mongoose documents) that sends
// only the database commands each path cannot do without, to the same embedded database. What
// it reaches beside the floor is the most the shop's design allows (bench/ceilings.mjs starts it):
//   node bench/ceiling-server.mjs <mongodb uri> <razorpay stand-in port> <options json>
//   node bench/ceiling-server.mjs --razorpay-stand-in <port>
// Options: indexes (the shop's declared indexes, read from its build), markers (the shop's
// crash-safe stock: the decrement pushes a marker naming the order, removed in batches every
// 100 ms), records (a paying webhook also upserts the payment's snapshot and queues the mail).
// Prints "listening <port>" once it accepts requests, and nothing per request.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { repoRoot, WEBHOOK_SECRET } from './lib.mjs';

const MARKER_REMOVAL_MS = 100;
const require = createRequire(import.meta.url);

if (process.argv[2] === '--razorpay-stand-in') {
  // Razorpay's side of "create an order": an id, nothing stored (Razorpay's work is not ours).
  let created = 0;
  http
    .createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ id: `order_ceiling${process.pid}x${++created}`, status: 'created' }),
          ),
      );
    })
    .listen(Number(process.argv[3]), '127.0.0.1', () => console.log('listening'));
} else {
  await serveShopPaths(process.argv[2], Number(process.argv[3]), JSON.parse(process.argv[4]));
}

async function serveShopPaths(uri, razorpayPort, options) {
  const connection = await mongoose.createConnection(uri, { dbName: 'ceiling' }).asPromise();
  const db = connection.db;
  const [products, orders, events, payments, outbox] = [
    'products',
    'orders',
    'webhook_events',
    'payments',
    'outbox',
  ].map((name) => db.collection(name));
  // Razorpay's order id is unique in the shop whatever else is declared: webhooks find orders by it.
  await orders.createIndex({ razorpayOrderId: 1 }, { unique: true });
  if (options.indexes) await createShopIndexes(db);

  const razorpay = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const createRazorpayOrder = () =>
    new Promise((resolveOrder, reject) => {
      const req = http.request(
        { port: razorpayPort, method: 'POST', path: '/v1/orders', agent: razorpay },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolveOrder(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        },
      );
      req.on('error', reject);
      req.end('{"amount":49900,"currency":"INR"}');
    });

  let recordedMarkers = new Map(); // productId hex → markers of recorded orders
  setInterval(() => {
    const batch = recordedMarkers;
    recordedMarkers = new Map();
    for (const [id, markers] of batch)
      void products.updateOne(
        { _id: new mongoose.Types.ObjectId(id) },
        { $pullAll: { reservations: markers } },
      );
  }, MARKER_REMOVAL_MS).unref();

  const paths = {
    async 'POST /products'({ stock }) {
      const _id = new mongoose.Types.ObjectId();
      const now = new Date();
      await products.insertOne({
        _id,
        name: 'Bench tee',
        description: 'Benchmark product',
        price: 49_900,
        stock,
        active: true,
        imageUrl: '/images/tee.svg',
        reservations: [],
        createdAt: now,
        updatedAt: now,
      });
      return [201, { id: _id.toHexString() }];
    },

    async 'POST /api/orders'({ items: [{ productId }], customer }) {
      const _id = new mongoose.Types.ObjectId();
      const product = await products.findOne({ _id: new mongoose.Types.ObjectId(productId) });
      if (!product?.active) return [404, { code: 'PRODUCT_NOT_FOUND' }];
      if (product.stock < 1) return [409, { code: 'OUT_OF_STOCK' }]; // sold out as read: no write
      const marker = `${_id.toHexString()}:1`;
      const taken = options.markers
        ? await products.updateOne(
            { _id: product._id, active: true, stock: { $gte: 1 }, reservations: { $ne: marker } },
            { $inc: { stock: -1 }, $push: { reservations: marker } },
          )
        : await products.updateOne(
            { _id: product._id, stock: { $gte: 1 } },
            { $inc: { stock: -1 } },
          );
      if (taken.modifiedCount !== 1) return [409, { code: 'OUT_OF_STOCK' }];
      const razorpayOrder = await createRazorpayOrder();
      const now = new Date();
      const order = {
        _id,
        orderNumber: `DK-${_id.toHexString().slice(-6)}`,
        status: 'pending',
        items: [
          {
            productId: product._id,
            name: product.name,
            unitPrice: product.price,
            quantity: 1,
            lineTotal: product.price,
            imageUrl: product.imageUrl,
          },
        ],
        amount: product.price,
        currency: 'INR',
        customer: { ...customer, email: customer.email.toLowerCase() },
        customerEmail: customer.email.toLowerCase(),
        createdAt: now,
        createdDay: now.toISOString().slice(0, 10),
        userId: null,
        razorpayOrderId: razorpayOrder.id,
        expiresAt: new Date(now.getTime() + 30 * 60_000),
        history: [{ status: 'pending', at: now, source: 'checkout' }],
      };
      await orders.insertOne(order);
      if (options.markers) {
        const key = product._id.toHexString();
        if (!recordedMarkers.has(key)) recordedMarkers.set(key, []);
        recordedMarkers.get(key).push(marker);
      }
      return [
        201,
        { id: _id.toHexString(), razorpayOrderId: order.razorpayOrderId, amount: order.amount },
      ];
    },

    async 'POST /api/webhooks/razorpay'(event, raw, headers) {
      const id = headers['x-razorpay-event-id'];
      const payment = event.payload.payment.entity;
      const now = new Date();
      const day = now.toISOString().slice(0, 10);
      const order = await orders.findOne({ razorpayOrderId: payment.order_id });
      // A report of the payment that already paid the order changes nothing: recorded processed
      // in its claim, one write (the shop's shortcut for two of every paid order's three events).
      const changesNothing = order?.paymentId === payment.id;
      try {
        await events.insertOne({
          _id: id,
          event: event.event,
          rawBody: raw.toString('utf8'),
          createdAt: now,
          createdDay: day,
          eventCreatedAt: event.created_at,
          attempts: 1,
          razorpayOrderId: payment.order_id,
          ...(changesNothing
            ? { status: 'processed', processedAt: now, keptDay: day, leaseUntil: now }
            : { status: 'processing', leaseUntil: new Date(now.getTime() + 30_000) }),
        });
      } catch (error) {
        if (error?.code === 11000) return [200, { status: 'duplicate' }];
        throw error;
      }
      if (changesNothing) return [200, { status: 'processed' }];
      // Only a captured payment of the order's amount pays it (no capture call for "authorized").
      if (
        order?.status === 'pending' &&
        payment.status === 'captured' &&
        payment.amount === order.amount
      ) {
        if (options.records)
          await payments.updateOne(
            { _id: payment.id },
            {
              $set: { ...payment, orderId: order._id, source: 'webhook', updatedAt: now },
              $setOnInsert: { createdAt: now },
            },
            { upsert: true },
          );
        const moved = await orders.updateOne(
          { _id: order._id, status: 'pending' },
          {
            $set: { status: 'paid', paymentId: payment.id, paidAt: now, paidDay: day },
            $push: { history: { status: 'paid', at: now, source: 'webhook' } },
          },
        );
        if (options.records && moved.modifiedCount === 1)
          await outbox.insertOne({
            _id: `order-paid:${order._id.toHexString()}`,
            kind: 'order-paid',
            to: order.customerEmail,
            orderId: order._id,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            createdAt: now,
          });
      }
      await events.updateOne(
        { _id: id },
        { $set: { status: 'processed', processedAt: now, keptDay: day } },
      );
      return [200, { status: 'processed' }];
    },
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const answer = (status, body) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      try {
        const path = paths[`${req.method} ${req.url}`];
        if (!path) return answer(404, { code: 'NOT_FOUND' });
        if (req.url === '/api/webhooks/razorpay' && !validSignature(raw, req.headers))
          return answer(400, { code: 'WEBHOOK_SIGNATURE_INVALID' });
        answer(...(await path(JSON.parse(raw.toString('utf8')), raw, req.headers)));
      } catch (error) {
        answer(500, { message: error.message });
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
  // Its database is thrown away after the run: nothing to flush, so no orderly close.
  process.once('SIGTERM', () => process.exit(0));
}

function validSignature(raw, headers) {
  const given = Buffer.from(String(headers['x-razorpay-signature'] ?? ''), 'utf8');
  const expected = Buffer.from(createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Exactly the indexes the shop declares for these collections (its build's schemas). */
async function createShopIndexes(db) {
  const schemas = join(repoRoot, 'dist', 'api', 'server', 'src');
  const declared = [
    ['products', 'products/schemas/product.schema.js', 'ProductSchema'],
    ['orders', 'orders/schemas/order.schema.js', 'OrderSchema'],
    ['webhook_events', 'webhooks/schemas/webhook-event.schema.js', 'WebhookEventSchema'],
    ['payments', 'payments/schemas/payment.schema.js', 'PaymentSchema'],
    ['outbox', 'mail/schemas/outbox-message.schema.js', 'OutboxMessageSchema'],
  ];
  for (const [collection, file, name] of declared) {
    const schema = require(join(schemas, file))[name];
    for (const [keys, indexOptions] of schema.indexes())
      await db.collection(collection).createIndex(keys, indexOptions);
  }
}

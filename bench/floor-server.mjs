// The floor: the least a webhook receiver can do per delivery against the same embedded database.
// A bare node:http server (no framework, no validation, no signature check, no secondary indexes)
// that for each POST parses the JSON body, inserts one document and updates it once — the insert
// and update every recorded delivery needs at minimum. Started as a child by bench/floor.mjs:
//   node bench/floor-server.mjs <mongodb uri>   → prints "listening <port>" on stdout.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import mongoose from 'mongoose';

const uri = process.argv[2];
if (!uri) {
  console.error('usage: node bench/floor-server.mjs <mongodb uri>');
  process.exit(2);
}

// Same driver and the same pool defaults as the shop (mongoose, default maxPoolSize).
const connection = await mongoose
  .createConnection(uri, { dbName: 'floor', serverSelectionTimeoutMS: 5_000 })
  .asPromise();
const deliveries = connection.db.collection('deliveries');

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(req.url === '/health' ? 200 : 404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const raw = Buffer.concat(chunks).toString('utf8');
      const event = JSON.parse(raw);
      const id = req.headers['x-razorpay-event-id'] ?? randomUUID();
      await deliveries.insertOne({
        _id: id,
        event: event.event,
        rawBody: raw,
        status: 'processing',
        createdAt: new Date(),
      });
      await deliveries.updateOne(
        { _id: id },
        { $set: { status: 'processed', processedAt: new Date() } },
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"processed"}');
    } catch (error) {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: error.message }));
    }
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));

const shutdown = () => {
  server.close();
  server.closeAllConnections?.();
  connection.close().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

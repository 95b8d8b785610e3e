import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { testDatabaseUri } from './support/test-database';

// The shop's correctness (no overselling, an order paid once, a webhook event handled once)
// rests on MongoDB's single-document atomicity and unique indexes. This suite certifies that
// whatever the launcher provides (embedded FerretDB behind its write gate, or MONGODB_URI)
// keeps them. See docs/database.md.
describe('database conformance', () => {
  let connection: Connection;
  let Product: Model<{ name: string; stock: number }>;
  let Order: Model<{ status: string }>;
  let Event: Model<{ eventId: string }>;

  beforeAll(async () => {
    connection = await mongoose.createConnection(testDatabaseUri('conformance')).asPromise();
    Product = connection.model<{ name: string; stock: number }>(
      'Product',
      new Schema({ name: String, stock: Number }),
    );
    Order = connection.model<{ status: string }>('Order', new Schema({ status: String }));
    Event = connection.model<{ eventId: string }>(
      'WebhookEvent',
      new Schema({ eventId: { type: String, required: true, unique: true } }),
    );
  });

  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  it('should let exactly 5 of 30 concurrent conditional decrements win when stock is 5', async () => {
    const product = await Product.create({ name: 'Kurta', stock: 5 });

    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        Product.findOneAndUpdate(
          { _id: product._id, stock: { $gte: 1 } },
          { $inc: { stock: -1 } },
          { returnDocument: 'after' },
        ),
      ),
    );

    expect(results.filter((doc) => doc !== null).length).toBe(5);
    expect((await Product.findById(product._id).lean())?.stock).toBe(0);
  });

  it('should move a pending order to paid exactly once when 10 transitions race', async () => {
    const order = await Order.create({ status: 'pending' });

    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        Order.updateOne({ _id: order._id, status: 'pending' }, { $set: { status: 'paid' } }),
      ),
    );

    expect(results.reduce((sum, r) => sum + r.modifiedCount, 0)).toBe(1);
    expect((await Order.findById(order._id).lean())?.status).toBe('paid');
  });

  it('should accept one of 10 concurrent inserts of a unique key and reject 9 with code 11000', async () => {
    await Event.createIndexes();

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => Event.create({ eventId: 'evt_conformance_1' })),
    );

    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected.map((r) => (r.reason as { code?: number }).code)).toEqual(Array(9).fill(11000));
    expect(await Event.countDocuments({ eventId: 'evt_conformance_1' })).toBe(1);
  });
});

import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { Connection, Model, Types } from 'mongoose';
import { PurchasesService } from '../src/account/purchases.service';
import { StartupMigrations } from '../src/operations/startup-migrations';
import {
  ENTITLEMENTS_BACKFILL,
  EntitlementsRepository,
} from '../src/orders/entitlements.repository';
import { OrdersRepository } from '../src/orders/orders.repository';
import { Entitlement, entitlementId } from '../src/orders/schemas/entitlement.schema';
import { adminToken, createProduct, placeOrder, registerUser, sandbox } from './support/api';
import { startTestApp, TestApp } from './support/test-app';

describe('My orders and purchases (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('account');
  });
  afterAll(() => t.close());

  /** Pays an order as the storefront does: Razorpay Checkout, then verify. */
  const payByVerify = async (order: { razorpayOrderId: string }) => {
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    await t.http.post('/api/payments/verify').send(handler).expect(200);
  };
  /** What a crash between noting the entitlement and the move to paid leaves behind. */
  const noteUnpaidCandidate = (orderId: string, userId: string, productId: string) =>
    t.app.get(EntitlementsRepository).note({
      _id: new Types.ObjectId(orderId),
      userId: new Types.ObjectId(userId),
      items: [{ productId: new Types.ObjectId(productId) }],
    });
  const purchaseCheck = (token: string, productId: string) =>
    t.http
      .get(`/api/me/purchases/${productId}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);

  it('should list only my own orders and answer "did I buy it" from paid orders only', async () => {
    const admin = await adminToken(t);
    const bought = await createProduct(t, admin, { name: 'Brass Diya' });
    const unpaid = await createProduct(t, admin, { name: 'Clay Planter' });
    const me = await registerUser(t, 'Me');
    const other = await registerUser(t, 'Other');

    const order = await placeOrder(t, bought.id, 1, me.token);
    await placeOrder(t, unpaid.id, 1, me.token);
    await placeOrder(t, bought.id, 1, other.token);
    await placeOrder(t, bought.id, 1); // a guest's order
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    await t.http.post('/api/payments/verify').send(handler).expect(200);

    const mine = await t.http
      .get('/api/me/orders')
      .set('Authorization', `Bearer ${me.token}`)
      .expect(200);
    expect(mine.body.total).toBe(2);
    expect(mine.body.items.map((o: { status: string }) => o.status).sort()).toEqual([
      'paid',
      'pending',
    ]);

    const yes = await t.http
      .get(`/api/me/purchases/${bought.id}`)
      .set('Authorization', `Bearer ${me.token}`)
      .expect(200);
    expect(yes.body).toEqual({ purchased: true, orderId: order.id, paidAt: expect.any(String) });
    const pendingOnly = await t.http
      .get(`/api/me/purchases/${unpaid.id}`)
      .set('Authorization', `Bearer ${me.token}`)
      .expect(200);
    expect(pendingOnly.body).toEqual({ purchased: false, orderId: null, paidAt: null });
    const notOthers = await t.http
      .get(`/api/me/purchases/${bought.id}`)
      .set('Authorization', `Bearer ${other.token}`)
      .expect(200);
    expect(notOthers.body.purchased).toBe(false);

    await t.http.get('/api/me/orders').expect(401);
    await t.http
      .get('/api/me/purchases/bad-id')
      .set('Authorization', `Bearer ${me.token}`)
      .expect(400);
  });

  it('should not count an order its entitlement names that never became paid', async () => {
    const admin = await adminToken(t);
    const product = await createProduct(t, admin, { name: 'Copper Bottle' });
    const me = await registerUser(t, 'Noted');
    const order = await placeOrder(t, product.id, 1, me.token);
    await noteUnpaidCandidate(order.id, me.id, product.id);
    const before = await purchaseCheck(me.token, product.id);
    expect(before.body).toEqual({ purchased: false, orderId: null, paidAt: null });

    await payByVerify(order);
    const after = await purchaseCheck(me.token, product.id);
    expect(after.body).toMatchObject({ purchased: true, orderId: order.id });
    const entitlements = t.app.get<Model<Entitlement>>(getModelToken(Entitlement.name));
    const noted = await entitlements.findById(entitlementId(me.id, product.id)).lean().exec();
    expect(noted?.orderIds.map(String)).toEqual([order.id]);
  });

  it('should find a purchase paid before entitlements existed, before and after the backfill', async () => {
    const admin = await adminToken(t);
    const product = await createProduct(t, admin, { name: 'Jute Basket' });
    const me = await registerUser(t, 'Early');
    const order = await placeOrder(t, product.id, 1, me.token);
    await payByVerify(order);
    // The database an earlier version left: the order is paid, nothing else says so.
    const entitlements = t.app.get<Model<Entitlement>>(getModelToken(Entitlement.name));
    const db = t.app.get<Connection>(getConnectionToken()).db!;
    await entitlements.deleteOne({ _id: entitlementId(me.id, product.id) }).exec();
    await db.collection('migrations').deleteOne({ _id: ENTITLEMENTS_BACKFILL as never });
    // A service that has not seen the backfill's mark, as after an upgrade.
    const fresh = () =>
      new PurchasesService(
        t.app.get(OrdersRepository),
        new EntitlementsRepository(entitlements, t.app.get(getConnectionToken())),
      );
    expect(await fresh().find(me.id, product.id)).toMatchObject({
      purchased: true,
      orderId: order.id,
    });

    await t.app.get(StartupMigrations).run();
    const noted = await entitlements.findById(entitlementId(me.id, product.id)).lean().exec();
    expect(noted?.orderIds.map(String)).toEqual([order.id]);
    expect(
      await db.collection('migrations').countDocuments({ _id: ENTITLEMENTS_BACKFILL as never }),
    ).toBe(1);
    expect(await fresh().find(me.id, product.id)).toMatchObject({
      purchased: true,
      orderId: order.id,
    });
  });

  it('should answer with the latest purchase, past candidates that are not one', async () => {
    const admin = await adminToken(t);
    const product = await createProduct(t, admin, { name: 'Block-print Scarf' });
    const me = await registerUser(t, 'Twice');
    const paid = [];
    for (let i = 0; i < 2; i++) {
      const order = await placeOrder(t, product.id, 1, me.token);
      await payByVerify(order);
      paid.push(order);
    }
    // Five later candidates that never became paid (more than one read's worth).
    for (let i = 0; i < 5; i++) {
      const order = await placeOrder(t, product.id, 1, me.token);
      await noteUnpaidCandidate(order.id, me.id, product.id);
    }
    const res = await purchaseCheck(me.token, product.id);
    expect(res.body).toMatchObject({ purchased: true, orderId: paid[1].id });
  });
});

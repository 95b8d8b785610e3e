import Razorpay from 'razorpay';
import { validatePaymentVerification } from 'razorpay/dist/utils/razorpay-utils';
import { missingKeys, unknownKeys } from './contract';
import {
  call,
  CAPTURE_ON_FLUSH,
  expectSameShape,
  fixture,
  KEY_ID,
  KEY_SECRET,
  flush,
  pay,
  payAndSettle,
  sdk,
  sdkError,
  startSandbox,
  type Harness,
} from './helpers';

// Per comparison: the sample is of another method or state than the payment compared with it.
const OTHER_METHOD = {
  'payment.upi': 'the sample is a UPI (or card-with-UPI) payment; ours is not',
  'payment.card': 'the sample expands the card',
};

describe('Razorpay API contract through the official SDK', () => {
  let h: Harness;
  let rzp: Razorpay;
  beforeAll(async () => {
    h = await startSandbox({ settings: CAPTURE_ON_FLUSH });
    rzp = h.rzp;
  });
  afterAll(() => h.stop());

  const newOrder = (extra: Record<string, unknown> = {}) =>
    rzp.orders.create({ amount: 50000, currency: 'INR', receipt: `rcpt_${Date.now()}`, ...extra });

  /** A captured payment: pays, then flushes the asynchronous capture. */
  const paidPayment = async (extra: Record<string, unknown> = {}) => {
    const order = await newOrder(extra);
    const res = await payAndSettle(h.base, order.id, 'success');
    return { order, paymentId: res.body.razorpay_payment_id as string };
  };

  describe('auth', () => {
    // 401 (server and observations; the docs table says 400) with the docs' Failure shape.
    const failed = (description: string) => ({
      statusCode: 401,
      error: {
        code: 'BAD_REQUEST_ERROR',
        description,
        source: 'NA',
        step: 'NA',
        reason: 'NA',
        metadata: {},
      },
    });
    it('should answer 401 in the documented shape when the key id is unknown', async () => {
      const err = await sdkError(
        sdk(h.base, 'rzp_test_Unknown000000', KEY_SECRET).orders.create({ amount: 100 } as never),
      );
      expect(err).toEqual(failed('The api key provided is invalid'));
      // Same keys, same order as the sample.
      expect(Object.keys(err.error)).toEqual(
        Object.keys(fixture<any>('api__orders__fetch-all__045.json').error),
      );
    });
    it('should say which part is wrong: the secret, a missing secret, a missing key', async () => {
      await expect(sdkError(sdk(h.base, KEY_ID, 'wrong').orders.all())).resolves.toEqual(
        failed('The api secret provided is invalid'),
      );
      const noSecret = await call(h.base, 'GET', '/v1/orders', undefined, {
        authorization: `Basic ${Buffer.from(`${KEY_ID}:`).toString('base64')}`,
      });
      expect({ statusCode: noSecret.status, ...noSecret.body }).toEqual(
        failed('Please provide api secret'),
      );
      const res = await fetch(`${h.base}/v1/orders`);
      expect({ statusCode: res.status, ...(await res.json()) }).toEqual(
        failed('Please provide your api key for authentication purposes.'),
      );
      const lower = await call(h.base, 'GET', '/v1/orders', undefined, {
        authorization: `basic ${Buffer.from(`${KEY_ID}:${KEY_SECRET}`).toString('base64')}`,
      });
      expect(lower.status).toBe(401);
    });
  });

  describe('contract helper', () => {
    it('should catch a key no sample has and a sample key we lack', () => {
      expect(unknownKeys({ entity: 'payment', id: 'pay_x', made_up: 1 })).toEqual([
        'payment.made_up',
      ]);
      expect(unknownKeys({ entity: 'payment', upi: { vpa: 'a', colour: 'red' } })).toEqual([
        'payment.upi.colour',
      ]);
      const sample = fixture('api__payments__fetch-with-id__049.json');
      const { bank: _bank, ...ours } = sample;
      expect(missingKeys(ours, sample)).toEqual(['payment.bank missing']);
      expect(missingKeys({ ...sample, amount: '100' }, sample)).toEqual([
        'payment.amount is string, sample number',
      ]);
      expect(missingKeys(ours, sample, { 'payment.bank': 'reason' })).toEqual([]);
    });
  });

  describe('orders', () => {
    it('should create an order shaped like the documented sample', async () => {
      const order = await newOrder({ notes: { key1: 'value1' } });
      expect(order).toMatchObject({
        entity: 'order',
        amount: 50000,
        amount_paid: 0,
        amount_due: 50000,
        currency: 'INR',
        status: 'created',
        attempts: 0,
        notes: { key1: 'value1' },
      });
      expect(order.id).toMatch(/^order_[A-Za-z0-9]{14}$/);
      expectSameShape(order as never, fixture('api__orders__create__038.json'));
      expectSameShape(order as never, fixture('api__orders__entity__040.json'));
      // Same keys in the same order as the API reference's list sample.
      expect(Object.keys(order)).toEqual(
        Object.keys(fixture<any>('api__orders__fetch-all__044.json').items[0]),
      );
    });

    it('should default currency to INR and serialise empty notes as []', async () => {
      const order = await rzp.orders.create({ amount: 100 } as never);
      expect(order.currency).toBe('INR');
      expect(order.notes).toEqual([]);
      expect(order.receipt).toBeNull();
    });

    it.each([
      [{ amount: 99 }, 'amount', 'Order amount less than minimum amount allowed'],
      [{ amount: 100.5 }, 'amount', 'The amount must be an integer.'],
      [{ amount: 500, currency: 'XYZ' }, 'currency', 'Currency is not supported'],
      [
        { amount: 500, receipt: 'r'.repeat(41) },
        'receipt',
        'The receipt may not be greater than 40 characters.',
      ],
      [
        {
          amount: 500,
          notes: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])),
        },
        'notes',
        'Number of fields in notes should be less than or equal to 15',
      ],
      [{ currency: 'INR' }, 'amount', 'amount: is required.'],
      [{ amount: 500, foo: 1 }, 'foo', 'foo is/are not required and should not be sent'],
    ])('should reject %j with 400 on %s', async (body, field, description) => {
      const err = await sdkError(rzp.orders.create(body as never));
      expect(err.statusCode).toBe(400);
      expect(err.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', description, field });
    });

    it('should accept only INR unless international is on, then the three-decimal rule', async () => {
      const usd = await sdkError(rzp.orders.create({ amount: 500, currency: 'USD' }));
      expect(usd.error).toMatchObject({
        description: 'Currency is not supported',
        field: 'currency',
      });
      await call(h.base, 'PUT', '/_sandbox/settings', { international: true });
      try {
        await expect(rzp.orders.create({ amount: 500, currency: 'USD' })).resolves.toMatchObject({
          currency: 'USD',
        });
        const kwd = await sdkError(rzp.orders.create({ amount: 99991, currency: 'KWD' }));
        expect(kwd.error).toMatchObject({ field: 'amount', reason: 'input_validation_failed' });
        await expect(rzp.orders.create({ amount: 99990, currency: 'KWD' })).resolves.toMatchObject({
          amount: 99990,
        });
        await expect(rzp.orders.create({ amount: 500, currency: 'JPY' })).resolves.toBeDefined();
      } finally {
        await call(h.base, 'PUT', '/_sandbox/settings', { international: false });
      }
    });

    it('should refuse amounts above the ceiling with "Amount exceeds maximum amount allowed."', async () => {
      const max = (await call(h.base, 'GET', '/_sandbox/settings')).body.maxAmount;
      await expect(rzp.orders.create({ amount: max, currency: 'INR' })).resolves.toBeDefined();
      const err = await sdkError(rzp.orders.create({ amount: max + 1, currency: 'INR' }));
      expect(err).toEqual({
        statusCode: 400,
        error: expect.objectContaining({
          code: 'BAD_REQUEST_ERROR',
          description: 'Amount exceeds maximum amount allowed.',
          field: 'amount',
        }),
      });
    });

    it('should accept a receipt of exactly 40 characters and 15 notes', async () => {
      const notes = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, 'v']));
      const order = await newOrder({ receipt: 'r'.repeat(40), notes });
      expect(Object.keys(order.notes ?? {})).toHaveLength(15);
    });

    it('should use the docs wording for the minimum amount when configured', async () => {
      await call(h.base, 'PUT', '/_sandbox/settings', { minAmountMessage: 'at_least' });
      const err = await sdkError(rzp.orders.create({ amount: 99 } as never));
      expect(err.error).toEqual(fixture('api__orders__create__039.json').error);
      await call(h.base, 'PUT', '/_sandbox/settings', { minAmountMessage: 'error_index' });
    });

    it('should fetch an order by id and list it', async () => {
      const order = await newOrder({ receipt: 'list-me' });
      await expect(rzp.orders.fetch(order.id)).resolves.toEqual(order);
      const list = await rzp.orders.all({ receipt: 'list-me' });
      expect(list).toMatchObject({ entity: 'collection', count: 1, items: [order] });
      expectSameShape(list as never, fixture('api__orders__fetch-all__044.json'));
    });

    it('should page the list with count/skip, newest first, and cap count at 100', async () => {
      const a = await newOrder();
      const b = await newOrder();
      const page = await rzp.orders.all({ count: 2, skip: 0 });
      expect(page.items.map((o) => o.id)).toEqual([b.id, a.id]);
      const next = await rzp.orders.all({ count: 1, skip: 1 });
      expect(next.items[0].id).toBe(a.id);
      const err = await sdkError(rzp.orders.all({ count: 101 }));
      expect(err.statusCode).toBe(400);
      expect(err.error.field).toBe('count');
    });

    it('should filter the list by from/to and authorized', async () => {
      const { order } = await paidPayment();
      const unpaid = await newOrder();
      const now = Math.floor(Date.now() / 1000);
      const authorized = await rzp.orders.all({ authorized: 1, count: 100 } as never);
      expect(authorized.items.map((o) => o.id)).toContain(order.id);
      expect(authorized.items.map((o) => o.id)).not.toContain(unpaid.id);
      const future = await rzp.orders.all({ from: now + 3600 } as never);
      expect(future.count).toBe(0);
    });

    it('should answer 400 "The id provided does not exist" for unknown ids', async () => {
      const err = await sdkError(rzp.orders.fetch('order_AAAAAAAAAAAAAA'));
      expect(err).toEqual({
        statusCode: 400,
        error: fixture('api__orders__fetch-with-id__042.json').error,
      });
      const bad = await sdkError(rzp.orders.fetch('order_short'));
      expect(bad.error.description).toBe('short is not a valid id');
      const wrongPrefix = await sdkError(rzp.orders.fetch('pay_AAAAAAAAAAAAAA'));
      expect(wrongPrefix.error.description).toBe('The id provided does not exist');
    });

    it('should edit only the notes of an order', async () => {
      const order = await newOrder({ notes: { a: '1' } });
      const edited = await rzp.orders.edit(order.id, { notes: { b: '2' } });
      expect(edited).toMatchObject({ id: order.id, notes: { b: '2' } });
      const err = await sdkError(rzp.orders.edit(order.id, { amount: 5 } as never));
      expect(err.error.reason).toBe('extra_field_sent');
    });

    it('should list an order payments including failed attempts', async () => {
      const order = await newOrder();
      await expect(rzp.orders.fetchPayments(order.id)).resolves.toEqual({
        entity: 'collection',
        count: 0,
        items: [],
      });
      await payAndSettle(h.base, order.id, 'failure', { method: 'upi' });
      await payAndSettle(h.base, order.id, 'success', { method: 'upi' });
      const payments = await rzp.orders.fetchPayments(order.id);
      expect(payments.items.map((p) => p.status)).toEqual(['failed', 'captured']);
      const sample = fixture<any>('api__orders__fetch-payments__043.json');
      expectSameShape(payments.items[0] as never, sample.items[0], OTHER_METHOD);
      expectSameShape(payments.items[1] as never, sample.items[1], OTHER_METHOD);
      expect(payments.items[0]).toMatchObject({
        vpa: 'failure@razorpay',
        error_code: 'BAD_REQUEST_ERROR',
        error_reason: 'payment_failed',
      });
      const fetched = await rzp.orders.fetch(order.id);
      expect(fetched).toMatchObject({
        status: 'paid',
        attempts: 2,
        amount_paid: 50000,
        amount_due: 0,
      });
      const err = await sdkError(rzp.orders.fetchPayments('order_AAAAAAAAAAAAAA'));
      expect(err.statusCode).toBe(400);
    });
  });

  describe('payments', () => {
    it('should authorize first, capture asynchronously, and sign the handler response with key_secret', async () => {
      const order = await newOrder();
      const res = await pay(h.base, order.id, 'success');
      expect(res.status).toBe(200);
      const { razorpay_payment_id, razorpay_order_id, razorpay_signature } = res.body;
      expect(razorpay_order_id).toBe(order.id);
      expect(
        validatePaymentVerification(
          { order_id: order.id, payment_id: razorpay_payment_id },
          razorpay_signature,
          KEY_SECRET,
        ),
      ).toBe(true);
      // When the handler fires the payment is only authorized and the order attempted.
      await expect(rzp.payments.fetch(razorpay_payment_id)).resolves.toMatchObject({
        status: 'authorized',
        captured: false,
        fee: null,
      });
      await expect(rzp.orders.fetch(order.id)).resolves.toMatchObject({
        status: 'attempted',
        amount_paid: 0,
      });
      const flushed = await flush(h.base);
      expect(flushed.body.ran).toContainEqual(
        expect.objectContaining({ kind: 'capture', subject: razorpay_payment_id }),
      );
      const payment = await rzp.payments.fetch(razorpay_payment_id);
      expect(payment).toMatchObject({
        status: 'captured',
        captured: true,
        order_id: order.id,
        amount: 50000,
      });
      expectSameShape(
        payment as never,
        fixture('api__payments__fetch-with-id__050.json'),
        OTHER_METHOD,
      );
      expectSameShape(payment as never, fixture('api__payments__capture__047.json'), OTHER_METHOD);
    });

    it('should expand the card on request', async () => {
      const { paymentId } = await paidPayment();
      const payment = (await rzp.payments.fetch(paymentId, { 'expand[]': 'card' } as never)) as any;
      expect(payment.card).toMatchObject({ entity: 'card', last4: '1007', network: 'Visa' });
      const plain = (await rzp.payments.fetch(paymentId)) as any;
      expect(plain.card).toBeUndefined();
    });

    it('should hold a manual-capture payment as authorized until captured', async () => {
      const order = await newOrder({ payment: { capture: 'manual' } });
      const res = await pay(h.base, order.id, 'success', { method: 'netbanking' });
      const id = res.body.razorpay_payment_id;
      await expect(rzp.payments.fetch(id)).resolves.toMatchObject({
        status: 'authorized',
        captured: false,
        fee: null,
      });
      await expect(rzp.orders.fetch(order.id)).resolves.toMatchObject({
        status: 'attempted',
        amount_paid: 0,
      });

      const mismatch = await sdkError(rzp.payments.capture(id, 49999, 'INR'));
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.error.description).toBe(
        'Capture amount must be equal to the amount authorized',
      );
      const currency = await sdkError(rzp.payments.capture(id, 50000, 'USD'));
      expect(currency.error.description).toBe(
        'Capture request currency must be same as payment currency',
      );
      const notInt = await sdkError(rzp.payments.capture(id, 500.5 as never, 'INR'));
      expect(notInt.error).toEqual(fixture('api__payments__capture__048.json').error);

      const captured = await rzp.payments.capture(id, 50000, 'INR');
      expect(captured).toMatchObject({
        status: 'captured',
        captured: true,
        bank: 'HDFC',
        method: 'netbanking',
      });
      expectSameShape(
        captured as never,
        fixture('api__payments__fetch-with-id__049.json'),
        OTHER_METHOD,
      );
      await expect(rzp.orders.fetch(order.id)).resolves.toMatchObject({
        status: 'paid',
        amount_paid: 50000,
      });

      const again = await sdkError(rzp.payments.capture(id, 50000, 'INR'));
      expect(again.statusCode).toBe(400);
      expect(again.error.description).toBe(
        'Your payment has been declined as the order is already paid. Please initiate the payment with a new order.',
      );
    });

    it('should refuse to capture a failed payment and unknown payments', async () => {
      const order = await newOrder();
      const res = await pay(h.base, order.id, 'failure');
      const err = await sdkError(
        rzp.payments.capture(res.body.error.metadata.payment_id, 50000, 'INR'),
      );
      expect(err.statusCode).toBe(400);
      expect(err.error.description).toMatch(/authorized/);
      const unknown = await sdkError(rzp.payments.fetch('pay_AAAAAAAAAAAAAA'));
      expect(unknown).toEqual({
        statusCode: 400,
        error: fixture('api__payments__fetch-with-id__053.json').error,
      });
      const unknownCapture = await sdkError(rzp.payments.capture('pay_AAAAAAAAAAAAAA', 100, 'INR'));
      expect(unknownCapture.error.description).toBe('The id provided does not exist');
    });

    it('should record a failed payment like the documented failed entity', async () => {
      const order = await newOrder();
      const res = await pay(h.base, order.id, 'failure', { method: 'card' });
      const payment = await rzp.payments.fetch(res.body.error.metadata.payment_id);
      expect(payment).toMatchObject({ status: 'failed', captured: false, fee: null });
      expectSameShape(payment as never, fixture('api__payments__entity__046.json'), OTHER_METHOD);
    });
  });

  describe('refunds', () => {
    it('should refund partially, then the rest, and mark the payment refunded only when full', async () => {
      const { order, paymentId } = await paidPayment();
      const first = await rzp.payments.refund(paymentId, {
        amount: 20000,
        speed: 'normal',
        notes: { why: 'x' },
      });
      // A normal refund starts pending (razorpay.md §2.6) and is processed later.
      expect(first).toMatchObject({
        entity: 'refund',
        amount: 20000,
        status: 'pending',
        speed_requested: 'normal',
        speed_processed: 'normal',
        acquirer_data: { arn: null },
        payment_id: paymentId,
      });
      expect(first.id).toMatch(/^rfnd_[A-Za-z0-9]{14}$/);
      expectSameShape(first as never, fixture('api__refunds__create-normal__055.json'));
      expectSameShape(first as never, fixture('api__refunds__entity__054.json'));
      await expect(rzp.payments.fetch(paymentId)).resolves.toMatchObject({
        status: 'captured',
        amount_refunded: 20000,
        refund_status: 'partial',
      });

      const beyond = await sdkError(rzp.payments.refund(paymentId, { amount: 30001 }));
      expect(beyond.statusCode).toBe(400);
      expect(beyond.error).toMatchObject({
        field: 'amount',
        description: 'The refund amount provided is greater than the unrefunded amount',
      });
      const overCaptured = await sdkError(rzp.payments.refund(paymentId, { amount: 50001 }));
      expect(overCaptured.error.description).toBe(
        'The refund amount provided is greater than amount captured.',
      );

      const rest = await rzp.payments.refund(paymentId, {});
      expect(rest.amount).toBe(30000);
      expect((rest as any).speed_requested).toBeUndefined(); // only when `speed` was sent
      await expect(rzp.payments.fetch(paymentId)).resolves.toMatchObject({
        status: 'refunded',
        amount_refunded: 50000,
        refund_status: 'full',
      });
      await expect(rzp.orders.fetch(order.id)).resolves.toMatchObject({ status: 'paid' });

      const done = await sdkError(rzp.payments.refund(paymentId, { amount: 100 }));
      expect(done.error.description).toBe('The payment has been fully refunded already.');

      const list = await rzp.payments.fetchMultipleRefund(paymentId);
      expect(list).toMatchObject({ entity: 'collection', count: 2 });
      expect(list.items.map((r) => r.id)).toEqual([rest.id, first.id]);
      expect(list.items.map((r) => r.status)).toEqual(['pending', 'pending']);
      await flush(h.base, ['refund']);
      const processed = await rzp.refunds.fetch(first.id);
      expect(processed).toEqual({
        ...first,
        status: 'processed',
        acquirer_data: { arn: expect.any(String) },
      });
      expectSameShape(
        (await rzp.refunds.fetch(first.id)) as never,
        fixture('api__refunds__fetch-with-id__057.json'),
      );
      await expect(rzp.refunds.fetch(first.id, { payment_id: paymentId })).resolves.toEqual(
        processed,
      );
    });

    it('should reject refunds of uncaptured payments, tiny amounts and unknown ids', async () => {
      const order = await newOrder({ payment: { capture: 'manual' } });
      const res = await pay(h.base, order.id, 'success');
      const err = await sdkError(rzp.payments.refund(res.body.razorpay_payment_id, {}));
      expect(err.error.description).toBe(
        'The payment status should be captured for action to be taken',
      );
      const { paymentId } = await paidPayment();
      const tiny = await sdkError(rzp.payments.refund(paymentId, { amount: 99 }));
      expect(tiny.error).toEqual(fixture('api__refunds__create-normal__056.json').error);
      const unknown = await sdkError(rzp.refunds.fetch('rfnd_AAAAAAAAAAAAAA'));
      expect(unknown.error.description).toBe('The id provided does not exist');
      const unknownPay = await sdkError(rzp.payments.refund('pay_AAAAAAAAAAAAAA', {}));
      expect(unknownPay.statusCode).toBe(400);
    });

    it('should honour X-Refund-Idempotency (plain HTTP: the SDK cannot send it)', async () => {
      const { paymentId } = await paidPayment();
      const headers = { 'x-refund-idempotency': 'refund-key-0001' };
      const first = await call(
        h.base,
        'POST',
        `/v1/payments/${paymentId}/refund`,
        { amount: 1000 },
        headers,
      );
      const again = await call(
        h.base,
        'POST',
        `/v1/payments/${paymentId}/refund`,
        { amount: 1000 },
        headers,
      );
      expect(first.status).toBe(200);
      expect(again).toEqual(first);
      await expect(rzp.payments.fetch(paymentId)).resolves.toMatchObject({ amount_refunded: 1000 });

      const different = await call(
        h.base,
        'POST',
        `/v1/payments/${paymentId}/refund`,
        { amount: 2000 },
        headers,
      );
      expect(different.status).toBe(409);
      expect(different.body.error.description).toBe(
        'Different request with the same idempotency key has already been processed.',
      );
      const short = await call(
        h.base,
        'POST',
        `/v1/payments/${paymentId}/refund`,
        { amount: 1000 },
        {
          'x-refund-idempotency': 'short',
        },
      );
      expect(short.status).toBe(400);
      expect(short.body.error.description).toBe(
        'The idempotency key must be at least 10 characters long.',
      );
      const bad = await call(
        h.base,
        'POST',
        `/v1/payments/${paymentId}/refund`,
        { amount: 1000 },
        {
          'x-refund-idempotency': 'bad key with spaces',
        },
      );
      expect(bad.status).toBe(400);
    });
  });

  describe('routing', () => {
    it('should answer unknown routes with 400 "The requested URL was not found on the server."', async () => {
      const res = await call(h.base, 'GET', '/v1/nope');
      expect(res).toEqual({ status: 400, body: fixture('api__refunds__fetch-with-id__058.json') });
    });
    it('should answer malformed JSON with a 400 envelope', async () => {
      const res = await fetch(`${h.base}/v1/orders`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${KEY_ID}:${KEY_SECRET}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: '{oops',
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('BAD_REQUEST_ERROR');
    });
  });
});

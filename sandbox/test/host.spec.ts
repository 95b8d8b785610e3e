import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { call, flush, payAndSettle, Receiver, sdk, waitFor } from './helpers';
import { startShopHost, type ShopHost } from './host';

describe('hosting', () => {
  describe('mounted behind NestJS-style rawBody parsers + helmet (bodies already parsed)', () => {
    let host: ShopHost;
    let rx: Receiver;
    beforeAll(async () => {
      rx = await new Receiver().start();
      host = await startShopHost({ webhookUrl: rx.url });
    });
    afterAll(async () => {
      await host.stop();
      await rx.stop();
    });

    it('should serve the SDK, the controls and idempotent refunds', async () => {
      const order = await host.rzp.orders.create({
        amount: 12345,
        currency: 'INR',
        notes: { a: '1' },
      });
      expect(order).toMatchObject({ amount: 12345, notes: { a: '1' } });
      const res = await payAndSettle(host.base, order.id, 'success', { method: 'upi' });
      const paymentId = res.body.razorpay_payment_id;
      const headers = { 'x-refund-idempotency': 'nest-host-key-1' };
      const a = await call(
        host.base,
        'POST',
        `/v1/payments/${paymentId}/refund`,
        { amount: 200 },
        headers,
      );
      const b = await call(
        host.base,
        'POST',
        `/v1/payments/${paymentId}/refund`,
        { amount: 200 },
        headers,
      );
      expect(b.body.id).toBe(a.body.id);
      expect(a.body.status).toBe('pending');
      await flush(host.base, ['refund']);
      await waitFor(() => rx.distinct('refund.processed').length === 1);
    });

    it('should accept urlencoded bodies parsed by the host', async () => {
      const res = await fetch(`${host.base}/v1/orders`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('rzp_test_SandboxKey0001:sandbox_key_secret').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'amount=500&currency=INR&notes[k]=v',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ amount: 500, notes: { k: 'v' } });
    });

    it('should serve checkout.js as JavaScript', async () => {
      const res = await fetch(`${host.base}/checkout.js`);
      expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
      expect(await res.text()).toContain('Sandbox / Test mode');
    });
  });

  describe('standalone (npm run sandbox)', () => {
    let child: ChildProcess | undefined;
    afterAll(() => {
      if (child && child.exitCode === null) child.kill('SIGTERM');
    });

    it('should start on SANDBOX_PORT with the default credentials and SANDBOX_* settings', async () => {
      const port = await freePort();
      child = spawn(process.execPath, ['scripts/sandbox.mjs'], {
        cwd: `${__dirname}/../..`,
        env: {
          ...process.env,
          SANDBOX_PORT: String(port),
          RAZORPAY_KEY_ID: '',
          RAZORPAY_KEY_SECRET: '',
          SANDBOX_TIME_SCALE: '0.001',
          SANDBOX_CAPTURE_DELAY_MS: '0',
          SANDBOX_DELIVERY_PROFILE: 'calm',
          SANDBOX_DELIVERY_SEED: '99',
        },
      });
      let output = '';
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      await waitFor(() => output.includes('listening'), 25_000, `standalone start (${output})`);
      const base = `http://127.0.0.1:${port}/sandbox/razorpay`;
      const rzp = sdk(base);
      await expect(rzp.orders.create({ amount: 100, currency: 'INR' })).resolves.toMatchObject({
        entity: 'order',
      });
      const settings = await call(base, 'GET', '/_sandbox/settings');
      expect(settings.body).toMatchObject({
        captureDelayMs: 0,
        deliveryProfile: 'calm',
        deliverySeed: 99,
      });
      expect(output).toContain('seed 99');
    }, 40_000);

    it('should refuse a bad SANDBOX_* value, naming the variable', async () => {
      const bad = spawn(process.execPath, ['scripts/sandbox.mjs'], {
        cwd: `${__dirname}/../..`,
        env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_REFUND_PROCESS_DELAY_MS: 'later' },
      });
      let output = '';
      bad.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((resolve) => bad.on('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain('SANDBOX_REFUND_PROCESS_DELAY_MS="later" is invalid');
    }, 40_000);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { call, pay, Receiver, sdk, waitFor } from './helpers';
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
      const res = await pay(host.base, order.id, 'success', { method: 'upi' });
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
      await waitFor(() => rx.events('refund.processed').length === 1);
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

    it('should start on SANDBOX_PORT with the default credentials', async () => {
      const port = await freePort();
      child = spawn(process.execPath, ['scripts/sandbox.mjs'], {
        cwd: `${__dirname}/../..`,
        env: {
          ...process.env,
          SANDBOX_PORT: String(port),
          RAZORPAY_KEY_ID: '',
          RAZORPAY_KEY_SECRET: '',
        },
      });
      let output = '';
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      await waitFor(() => output.includes('listening'), 25_000, `standalone start (${output})`);
      const rzp = sdk(`http://127.0.0.1:${port}/sandbox/razorpay`);
      await expect(rzp.orders.create({ amount: 100, currency: 'INR' })).resolves.toMatchObject({
        entity: 'order',
      });
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

import { createRazorpaySandbox, defaultSettings, sandboxSettingsFromEnv } from '../src';
import { call, KEY_ID, KEY_SECRET, startSandbox, WEBHOOK_SECRET } from './helpers';

describe('settings', () => {
  describe(sandboxSettingsFromEnv.name, () => {
    it('should read every SANDBOX_* setting with its type', () => {
      expect(
        sandboxSettingsFromEnv({
          SANDBOX_CAPTURE_DELAY_MS: '0',
          SANDBOX_AUTHORIZED_EXPIRY_MS: '60000',
          SANDBOX_REFUND_PROCESS_DELAY_MS: '250',
          SANDBOX_OPTIMUM_FALLBACK_RATE: '0.5',
          SANDBOX_DELIVERY_PROFILE: 'calm',
          SANDBOX_DUPLICATE_RATE: '1',
          SANDBOX_REORDER_RATE: '0',
          SANDBOX_REORDER_WINDOW_MS: '50',
          SANDBOX_DELIVERY_SEED: '7',
          SANDBOX_UPI_COLLECT_DELAY_MS: '10',
          SANDBOX_INTERNATIONAL: 'true',
          SANDBOX_MAX_AMOUNT: '100000',
          SANDBOX_MIN_AMOUNT_MESSAGE: 'atleast',
          SANDBOX_RECEIPT_UNIQUE: '0',
          SANDBOX_NOTES_VALUE_MAX_LENGTH: '512',
          SANDBOX_NOTES_KEY_MAX_LENGTH: '256',
        }),
      ).toEqual({
        captureDelayMs: 0,
        authorizedExpiryMs: 60000,
        refundProcessDelayMs: 250,
        optimumFallbackRate: 0.5,
        deliveryProfile: 'calm',
        duplicateRate: 1,
        reorderRate: 0,
        reorderWindowMs: 50,
        deliverySeed: 7,
        upiCollectDelayMs: 10,
        international: true,
        maxAmount: 100000,
        minAmountMessage: 'atleast',
        receiptUnique: false,
        notesValueMaxLength: 512,
        notesKeyMaxLength: 256,
      });
    });

    it('should leave out unset and empty variables and ignore non-settings', () => {
      expect(
        sandboxSettingsFromEnv({
          SANDBOX_CAPTURE_DELAY_MS: '',
          SANDBOX_TIME_SCALE: '0.001',
          SANDBOX_PORT: '4010',
          PATH: '/bin',
        }),
      ).toEqual({});
    });

    it.each([
      ['SANDBOX_CAPTURE_DELAY_MS', 'soon', /captureDelayMs must be a non-negative integer/],
      ['SANDBOX_CAPTURE_DELAY_MS', '-1', /captureDelayMs must be a non-negative integer/],
      ['SANDBOX_DUPLICATE_RATE', '2', /duplicateRate must be a number from 0 to 1/],
      ['SANDBOX_DELIVERY_PROFILE', 'chaos', /deliveryProfile must be razorpay or calm/],
      ['SANDBOX_INTERNATIONAL', 'maybe', /international must be a boolean/],
      ['SANDBOX_DELIVERY_SEED', '1.5', /deliverySeed must be a non-negative integer/],
      ['SANDBOX_MAX_AMOUNT', '0', /maxAmount must be a positive integer/],
    ])('should reject %s=%s naming the variable', (name, value, why) => {
      expect(() => sandboxSettingsFromEnv({ [name]: value })).toThrow(
        new RegExp(`^${name}="${value.replace('.', '\\.')}" is invalid: ${why.source}`),
      );
    });
  });

  describe('GET/PUT /_sandbox/settings and createRazorpaySandbox({settings})', () => {
    it('should default to the Razorpay-like values and show the seed', async () => {
      const sandbox = createRazorpaySandbox({
        keyId: KEY_ID,
        keySecret: KEY_SECRET,
        webhookSecret: WEBHOOK_SECRET,
      });
      await sandbox.close();
      expect(defaultSettings()).toMatchObject({
        captureDelayMs: 1500,
        authorizedExpiryMs: 3 * 24 * 60 * 60 * 1000,
        refundProcessDelayMs: 1000,
        deliveryProfile: 'razorpay',
        duplicateRate: 0.2,
        reorderRate: 0.2,
        reorderWindowMs: 300,
        upiCollectDelayMs: 3000,
        international: false,
        maxAmount: 50_000_000,
      });
      const logs: string[] = [];
      const seeded = createRazorpaySandbox({
        keyId: KEY_ID,
        keySecret: KEY_SECRET,
        webhookSecret: WEBHOOK_SECRET,
        log: (l) => logs.push(l),
      });
      await seeded.close();
      // No seed given: a random one, logged so a failing run can be replayed.
      expect(logs.join('\n')).toMatch(/delivery profile razorpay, seed \d+/);
    });

    it('should start from the creation settings and validate updates', async () => {
      const h = await startSandbox({ settings: { captureDelayMs: 0, deliveryProfile: 'calm' } });
      try {
        const got = await call(h.base, 'GET', '/_sandbox/settings');
        expect(got.body).toEqual({
          ...defaultSettings(),
          captureDelayMs: 0,
          deliveryProfile: 'calm',
          deliverySeed: 42,
        });
        const put = await call(h.base, 'PUT', '/_sandbox/settings', { reorderRate: 0.5 });
        expect(put.body.reorderRate).toBe(0.5);
        for (const bad of [
          { reorderRate: -0.1 },
          { captureDelayMs: '5' },
          { deliveryProfile: 'wild' },
          { nope: 1 },
        ]) {
          const res = await call(h.base, 'PUT', '/_sandbox/settings', bad);
          expect(res.status).toBe(400);
          expect(res.body.error.field).toBe(Object.keys(bad)[0]);
        }
      } finally {
        await h.stop();
      }
    });

    it('should refuse bad creation settings and time scales', () => {
      const base = { keyId: KEY_ID, keySecret: KEY_SECRET, webhookSecret: WEBHOOK_SECRET };
      expect(() => createRazorpaySandbox({ ...base, settings: { duplicateRate: 3 } })).toThrow(
        /invalid sandbox settings: duplicateRate must be a number from 0 to 1/,
      );
      expect(() => createRazorpaySandbox({ ...base, timeScale: 0 })).toThrow(/timeScale/);
    });
  });
});

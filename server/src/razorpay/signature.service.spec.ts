import { createHmac } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { SignatureService } from './signature.service';

describe(SignatureService.name, () => {
  const config = {
    razorpay: {
      keySecret: 'EnLs21M47BllR3X8PSFtjtbd',
      webhookSecret: 'whsec_test',
      webhookSecrets: ['whsec_test', 'whsec_old'],
    },
  } as unknown as AppConfig;
  const sut = new SignatureService(config);
  const body = Buffer.from('{"event":"payment.captured","payload":{"note":"a\\/b"}}');
  const sign = (b: Buffer | string, secret = 'whsec_test') =>
    createHmac('sha256', secret).update(b).digest('hex');

  it("should accept Razorpay's documented checkout test vector", () => {
    const signature = '0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f';
    expect(sut.isValidPayment('order_IEIaMR65cu6nz3', 'pay_IH4NVgf4Dreq1l', signature)).toBe(true);
  });

  it('should reject a checkout signature made for another order', () => {
    const signature = sign('order_other|pay_IH4NVgf4Dreq1l', 'EnLs21M47BllR3X8PSFtjtbd');
    expect(sut.isValidPayment('order_IEIaMR65cu6nz3', 'pay_IH4NVgf4Dreq1l', signature)).toBe(false);
  });

  it('should accept a webhook body signed with the webhook secret', () => {
    expect(sut.isValidWebhook(body, sign(body))).toBe(true);
  });

  it('should accept a webhook signed with an older secret that is still listed (rotation)', () => {
    expect(sut.isValidWebhook(body, sign(body, 'whsec_old'))).toBe(true);
  });

  it('should reject a webhook when the body was re-serialised', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(sut.isValidWebhook(reserialised, sign(body))).toBe(false);
  });

  it('should reject a webhook signed with the key secret instead of the webhook secret', () => {
    expect(sut.isValidWebhook(body, sign(body, 'EnLs21M47BllR3X8PSFtjtbd'))).toBe(false);
  });

  it.each(['', 'zz', 'a'.repeat(63), 'a'.repeat(65)])(
    'should reject the malformed signature %p without throwing',
    (sig) => {
      expect(sut.isValidWebhook(body, sig)).toBe(false);
    },
  );
});

import { Global, Module } from '@nestjs/common';
import { RazorpayService } from './razorpay.service';
import { SignatureService } from './signature.service';

/** Razorpay access for every module that needs it (orders create, payments verify, webhooks check). */
@Global()
@Module({
  providers: [RazorpayService, SignatureService],
  exports: [RazorpayService, SignatureService],
})
export class RazorpayModule {}

import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { PublicConfigResponse } from './dto/operations.dto';

@ApiTags('operations')
@Controller('config')
export class ConfigController {
  constructor(private readonly config: AppConfig) {}

  /** What the storefront needs to open Razorpay Checkout; the key id is public, no secret is here. */
  @Get()
  get(): PublicConfigResponse {
    return {
      razorpayKeyId: this.config.razorpay.keyId,
      checkoutScriptUrl: this.config.checkoutScriptUrl,
      currency: 'INR',
      mode: this.config.razorpayMode,
    };
  }
}

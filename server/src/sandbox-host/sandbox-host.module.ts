import { Module } from '@nestjs/common';
import { SandboxHost } from './sandbox-host';

@Module({ providers: [SandboxHost], exports: [SandboxHost] })
export class SandboxHostModule {}

import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const NOT_STOREFRONT = /^\/(api|docs|sandbox)(\/|$|-json)/;

/** Serves the built Angular storefront at / with deep links falling back to index.html. */
export function serveStorefront(app: INestApplication, browserDir: string): void {
  const index = join(browserDir, 'index.html');
  if (!existsSync(index)) {
    new Logger('Storefront').warn(
      `No storefront build at ${browserDir}; run "npm run build:client"`,
    );
    return;
  }
  app.use(express.static(browserDir, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_STOREFRONT.test(req.path))
      return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

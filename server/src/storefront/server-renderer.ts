import { Logger } from '@nestjs/common';
import type { Request } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What the storefront's server bundle returns (client/src/server.ts). */
export interface RenderedPage {
  status: number;
  html: string;
}
/** client/src/app/core/render-context.ts */
interface RenderContext {
  apiFailed?: boolean;
}
type Render = (url: string, context: RenderContext) => Promise<RenderedPage | null>;

/** A render slower than this is abandoned for the client-rendered shell: a page never hangs. */
const RENDER_TIMEOUT_MS = 2_500;

/**
 * Renders storefront pages with the Angular server bundle (`dist/client/server/server.mjs`): the
 * catalog, product and checkout pages arrive with their first screen drawn. Every failure — no
 * bundle, a render error, an API read that failed, a slow render — answers null, and the caller
 * sends the client-rendered shell instead, exactly what the storefront was before.
 */
export class ServerRenderer {
  private readonly logger = new Logger('Storefront');
  private readonly render: Render | null;

  constructor(serverDir: string) {
    this.render = this.load(join(serverDir, 'server.mjs'));
  }

  async page(req: Request): Promise<RenderedPage | null> {
    if (!this.render) return null;
    const context: RenderContext = {};
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), RENDER_TIMEOUT_MS);
    });
    try {
      const url = `${loopbackOrigin(req)}${req.originalUrl}`;
      const page = await Promise.race([this.render(url, context), timeout]);
      if (!page || context.apiFailed) return null;
      return page;
    } catch (error) {
      this.logger.warn(`server render of ${req.path} failed: ${(error as Error).message}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private load(bundle: string): Render | null {
    if (!existsSync(bundle)) return null;
    try {
      // An ES module; Node >= 20.19 loads it with require().
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createRenderer } = require(bundle) as { createRenderer: () => Render };
      return createRenderer();
    } catch (error) {
      this.logger.warn(
        `storefront pages are client-rendered: the server bundle did not load (${(error as Error).message})`,
      );
      return null;
    }
  }
}

/** This server's own address as the request reached it: the render reads the API there. */
function loopbackOrigin(req: Request): string {
  const { localAddress, localPort } = req.socket;
  const host = !localAddress || localAddress === '::' ? '127.0.0.1' : localAddress;
  return `http://${host.includes(':') ? `[${host}]` : host}:${localPort}`;
}

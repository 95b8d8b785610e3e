import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project root, found the same way from server/src (ts) and dist/api/server/src (built). */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'razorpay-shop'
    ) {
      return dir;
    }
  }
  throw new Error(`Cannot find the project root above ${from}`);
}

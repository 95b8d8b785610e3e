import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'razorpay-shop';

/**
 * The repository root: the nearest folder above `from` whose package.json is this project's.
 * Walking up works both from server/src and from dist/api/server/src after `nest build`.
 */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (isProjectRoot(dir)) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`Cannot find the ${PACKAGE_NAME} repository root above ${from}`);
}

function isProjectRoot(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

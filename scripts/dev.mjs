// `npm run dev`: the API in watch mode (nest start --watch, port 3000, embedded database) and the
// Angular dev server on 4200 proxying /api and /sandbox to it. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { repoRoot } from './build-db.mjs';
import { ensureDatabaseBuilt, ensureInstalled } from './lib/ensure-built.mjs';

ensureInstalled();
if (!process.env.MONGODB_URI) await ensureDatabaseBuilt();

const children = [
  spawn('npx', ['nest', 'start', '--watch'], { cwd: repoRoot, stdio: 'inherit' }),
  spawn('npx', ['ng', 'serve', 'client', '--proxy-config', 'client/proxy.conf.json'], {
    cwd: repoRoot,
    stdio: 'inherit',
  }),
];
const stop = () => children.forEach((c) => c.kill('SIGINT'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', stop);

// `npm start`: installs and builds whatever is missing, then serves the shop on PORT (default 3000):
// API /api, Swagger /docs, storefront /, Razorpay sandbox /sandbox/razorpay, embedded database.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureEverythingBuilt } from './lib/ensure-built.mjs';
import { sandboxMailCatcher } from './lib/mail-catcher.mjs';
import { repoRoot } from './build-db.mjs';

await ensureEverythingBuilt();
// Sandbox mode: order mail goes to a local MailDev inbox (unless SMTP_URL says otherwise).
const catcher = await sandboxMailCatcher(repoRoot);

const server = spawn(
  process.execPath,
  ['--enable-source-maps', join(repoRoot, 'dist/api/server/src/main.js')],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, ...catcher?.env },
  },
);
// Pass Ctrl-C / termination on, so the server can stop its database before exiting.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', async (code, signal) => {
  await catcher?.stop();
  process.exit(code ?? (signal ? 1 : 0));
});

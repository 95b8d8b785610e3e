// A local mail catcher (MailDev: SMTP + web inbox + REST API at /api/email) for sandbox mode and tests.
//
//   import { startMailCatcher } from './lib/mail-catcher.mjs';
//   const catcher = await startMailCatcher();   // free ports unless given
//   catcher.smtpUrl, catcher.inboxUrl, catcher.apiUrl; await catcher.stop();
//
//   node scripts/lib/mail-catcher.mjs           prints one JSON line {smtpUrl, inboxUrl, apiUrl}, runs until killed
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

function freePort(host) {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portIsFree(port, host) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** `preferred` when it is free, any free port otherwise (two shops on one machine never collide). */
async function pickPort(preferred, host) {
  if (preferred && (await portIsFree(preferred, host))) return preferred;
  return freePort(host);
}

export async function startMailCatcher({
  host = '127.0.0.1',
  smtpPort = Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 0),
  webPort = Number(process.env.MAIL_CATCHER_WEB_PORT ?? 0),
} = {}) {
  const { MailDev } = await import('maildev');
  const smtp = await pickPort(smtpPort, host);
  const web = await pickPort(webPort, host);
  const maildev = new MailDev({ smtp, web, ip: host, webIp: host, silent: true });
  await maildev.start();
  const inboxUrl = `http://${host}:${web}/`;
  return {
    // MailDev offers no certificate worth checking: plain SMTP on the loopback interface.
    smtpUrl: `smtp://${host}:${smtp}?ignoreTLS=true`,
    inboxUrl,
    apiUrl: `${inboxUrl}api`,
    stop: () => maildev.stop(),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const catcher = await startMailCatcher();
  const { stop, ...urls } = catcher;
  process.stdout.write(`${JSON.stringify(urls)}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => void stop().finally(() => process.exit(0)));
}

/**
 * What `npm start` runs in sandbox mode: a catcher on MAIL_CATCHER_SMTP_PORT / MAIL_CATCHER_WEB_PORT
 * (1025 / 1080, or free ports when those are taken), and the variables that point the shop at it.
 * Nothing in live mode, when SMTP_URL is set, or with MAIL_CATCHER=off.
 */
export async function sandboxMailCatcher(root) {
  const file = join(root, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const setting = (name) => process.env[name] || fromFile[name] || undefined;
  if ((setting('RAZORPAY_MODE') ?? 'sandbox') !== 'sandbox') return undefined;
  if (setting('SMTP_URL') || setting('MAIL_CATCHER') === 'off') return undefined;
  const catcher = await startMailCatcher({
    smtpPort: Number(setting('MAIL_CATCHER_SMTP_PORT') ?? 1025),
    webPort: Number(setting('MAIL_CATCHER_WEB_PORT') ?? 1080),
  });
  console.log(`Mail inbox (sandbox, MailDev): ${catcher.inboxUrl}  (order mail lands here)`);
  return {
    env: { SMTP_URL: catcher.smtpUrl, MAIL_CATCHER_URL: catcher.inboxUrl },
    stop: catcher.stop,
  };
}

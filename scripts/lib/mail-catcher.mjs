// A local mail catcher (MailDev: SMTP + web inbox + REST API at /api/email) for sandbox mode and tests.
//
//   import { startMailCatcher } from './lib/mail-catcher.mjs';
//   const catcher = await startMailCatcher();   // free ports unless given
//   catcher.smtpUrl, catcher.inboxUrl, catcher.apiUrl; await catcher.stop();
//
//   node scripts/lib/mail-catcher.mjs           prints one JSON line {smtpUrl, inboxUrl, apiUrl}, runs until killed
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

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

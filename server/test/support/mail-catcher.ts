// The local mail catcher for e2e tests: scripts/lib/mail-catcher.mjs (the code `npm start` runs)
// in a child process, read through MailDev's REST API.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface Catcher {
  smtpUrl: string;
  inboxUrl: string;
  apiUrl: string;
  process: ChildProcess;
}

export interface CaughtMail {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  headers: Record<string, string>;
}

/** Starts scripts/lib/mail-catcher.mjs (the same code npm start uses) and waits for its URLs. */
export async function startCatcher(env: Record<string, string> = {}): Promise<Catcher> {
  const child = spawn(
    process.execPath,
    [join(__dirname, '../../../scripts/lib/mail-catcher.mjs')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const urls = await new Promise<Omit<Catcher, 'process'>>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Omit<Catcher, 'process'>);
    });
    child.once('exit', (code) => reject(new Error(`mail catcher exited with ${code}`)));
  });
  return { ...urls, process: child };
}

export function stopCatcher(catcher: Catcher | undefined): Promise<void> {
  if (!catcher || catcher.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    catcher.process.once('exit', () => resolve());
    catcher.process.kill('SIGTERM');
  });
}

export async function caught(catcher: Catcher): Promise<CaughtMail[]> {
  const res = await fetch(`${catcher.apiUrl}/email`);
  if (!res.ok) throw new Error(`mail catcher answered ${res.status}`);
  return (await res.json()) as CaughtMail[];
}

#!/usr/bin/env node
// Razorpay sandbox CLI: `npm run sandbox` starts it standalone; the other commands drive a running
// sandbox over HTTP (the "stripe trigger / events resend" of Razorpay). See docs/sandbox.md.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Keep in sync with sandbox/src/defaults.ts (this script runs without a build).
const DEFAULTS = {
  url: 'http://127.0.0.1:3000/sandbox/razorpay',
  keyId: 'rzp_test_SandboxKey0001',
  keySecret: 'sandbox_key_secret',
};

const USAGE = `Usage: npm run sandbox [-- <command>]

  (no command) | start            start the standalone sandbox (SANDBOX_PORT, default 4010)
  trigger <event> --order <id>    re-emit <event> for the order's latest payment
  resend <event-id>               deliver a recorded event again (same id, same bytes)
  list events [--order <id>] [--event <name>]
  pay <order-id> success|failure|pending|timeout [--method <m>] [--flow collect|intent] [--provider <p>]
                                  (methods: card upi netbanking wallet emi paylater cardless_emi bank_transfer;
                                  timeout = a UPI collect nobody approves)
  complete <payment-id> success|failure|timeout
                                  finish a payment left pending
  flush [<kind>...]               run scheduled effects now (capture, refund, upi_collect, delivery,
                                  retry, late_authorization; authorized_expiry only when named)
  settings [<name>=<value>...]    show or change settings (e.g. captureDelayMs=0 deliveryProfile=calm)
  endpoint [<url>] [--enable|--disable] [--events <a,b|all>]
  reset                           forget all orders, payments, events and faults; settings back to start

Options: --url <base> (default $SANDBOX_URL or ${DEFAULTS.url}), --json
Credentials: RAZORPAY_KEY_ID / RAZORPAY_KEY_SECRET (sandbox defaults when unset).`;

function parse(argv) {
  const args = [];
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) args.push(a);
    else if (['--json', '--enable', '--disable', '--help'].includes(a)) flags[a.slice(2)] = true;
    else flags[a.slice(2)] = argv[++i];
  }
  return { args, flags };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function start() {
  const compiled = join(root, 'dist/api/sandbox/src/standalone.js');
  // Use the build when it is up to date; otherwise run the sources through ts-node.
  const fresh =
    existsSync(compiled) && statSync(compiled).mtimeMs >= newestMtime(join(root, 'sandbox/src'));
  const argv = fresh
    ? [compiled]
    : ['-r', 'ts-node/register/transpile-only', join(root, 'sandbox/src/standalone.ts')];
  const child = spawn(process.execPath, argv, {
    stdio: 'inherit',
    cwd: root,
    env: { TS_NODE_PROJECT: join(root, 'server/tsconfig.json'), ...process.env },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function request(flags, method, path, body) {
  const base = (flags.url || process.env.SANDBOX_URL || DEFAULTS.url).replace(/\/$/, '');
  const keyId = process.env.RAZORPAY_KEY_ID || DEFAULTS.keyId;
  const secret = process.env.RAZORPAY_KEY_SECRET || DEFAULTS.keySecret;
  let res;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    throw new Error(
      `cannot reach the sandbox at ${base} (${err.cause?.message ?? err.message}); use --url`,
    );
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${res.status} ${data.error?.description ?? JSON.stringify(data)}`);
  return data;
}

function printEvents(items) {
  if (!items.length) return console.log('no events');
  for (const e of items) {
    const last = e.attempts.at(-1);
    const when = new Date(e.created_at * 1000).toISOString();
    const lastText = last ? `last: ${last.status ?? last.error}` : 'no attempts';
    console.log(
      `${e.id}  ${e.event.padEnd(18)} ${String(e.order_id).padEnd(20)} ${e.status.padEnd(9)} ` +
        `attempts: ${e.attempts.length} (${lastText})  ${when}`,
    );
  }
}

function printPayment(x) {
  if (x.error) console.log(`failed: ${x.error.description} (${x.error.metadata.payment_id})`);
  else if (x.status === 'created') console.log(`pending: ${x.razorpay_payment_id}`);
  else console.log(`authorized: ${x.razorpay_payment_id}`);
}

async function main() {
  const { args, flags } = parse(process.argv.slice(2));
  const [command, ...rest] = args;
  const out = (data, human) =>
    flags.json ? console.log(JSON.stringify(data, null, 2)) : human(data);
  if (flags.help || command === 'help') return console.log(USAGE);
  switch (command) {
    case undefined:
    case 'start':
      return start();
    case 'trigger': {
      if (!rest[0] || !flags.order) throw new Error('usage: trigger <event> --order <order-id>');
      const ev = await request(flags, 'POST', '/_sandbox/trigger', {
        event: rest[0],
        order_id: flags.order,
      });
      return out(ev, (e) => console.log(`triggered ${e.event} as ${e.id}`));
    }
    case 'resend': {
      if (!rest[0]) throw new Error('usage: resend <event-id>');
      const r = await request(
        flags,
        'POST',
        `/_sandbox/events/${encodeURIComponent(rest[0])}/resend`,
      );
      return out(r, (x) => console.log(`resent ${x.event} ${x.id}`));
    }
    case 'list': {
      if (rest[0] !== 'events')
        throw new Error('usage: list events [--order <id>] [--event <name>]');
      const q = new URLSearchParams();
      if (flags.order) q.set('order_id', flags.order);
      if (flags.event) q.set('event', flags.event);
      const list = await request(flags, 'GET', `/_sandbox/events${q.size ? `?${q}` : ''}`);
      return out(list, (l) => printEvents(l.items));
    }
    case 'pay': {
      const [orderId, outcome] = rest;
      if (!orderId || !['success', 'failure', 'pending', 'timeout'].includes(outcome)) {
        throw new Error(
          'usage: pay <order-id> success|failure|pending|timeout [--method <method>]',
        );
      }
      const r = await request(flags, 'POST', '/_sandbox/payments', {
        order_id: orderId,
        outcome,
        ...(flags.method ? { method: flags.method } : {}),
        ...(flags.flow ? { flow: flags.flow } : {}),
        ...(flags.provider ? { provider: flags.provider } : {}),
      });
      return out(r, printPayment);
    }
    case 'complete': {
      const [paymentId, outcome] = rest;
      if (!paymentId || !['success', 'failure', 'timeout'].includes(outcome)) {
        throw new Error('usage: complete <payment-id> success|failure|timeout');
      }
      const r = await request(
        flags,
        'POST',
        `/_sandbox/payments/${encodeURIComponent(paymentId)}/complete`,
        { outcome },
      );
      return out(r, printPayment);
    }
    case 'flush': {
      const r = await request(flags, 'POST', '/_sandbox/flush', rest.length ? { kinds: rest } : {});
      return out(r, (x) => {
        console.log(`ran ${x.count} effect(s)`);
        for (const e of x.ran) console.log(`  ${e.kind.padEnd(18)} ${e.subject}`);
        if (x.pending.length) console.log(`still scheduled: ${x.pending.length}`);
      });
    }
    case 'settings': {
      const patch = {};
      for (const pair of rest) {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new Error('usage: settings [<name>=<value>...]');
        const raw = pair.slice(eq + 1);
        // Numbers and booleans as JSON; anything else is a string.
        let value = raw;
        try {
          value = JSON.parse(raw);
        } catch {
          value = raw;
        }
        patch[pair.slice(0, eq)] = value;
      }
      const r = rest.length
        ? await request(flags, 'PUT', '/_sandbox/settings', patch)
        : await request(flags, 'GET', '/_sandbox/settings');
      return out(r, (x) => {
        for (const [k, v] of Object.entries(x)) console.log(`${k.padEnd(22)} ${JSON.stringify(v)}`);
      });
    }
    case 'endpoint': {
      const patch = {};
      if (rest[0]) patch.url = rest[0];
      if (flags.enable) patch.enabled = true;
      if (flags.disable) patch.enabled = false;
      if (flags.events) patch.events = flags.events === 'all' ? null : flags.events.split(',');
      const ep = Object.keys(patch).length
        ? await request(flags, 'PUT', '/_sandbox/endpoint', patch)
        : await request(flags, 'GET', '/_sandbox/endpoint');
      return out(ep, (e) =>
        console.log(
          `${e.url ?? '(no url)'} ${e.enabled ? 'enabled' : `DISABLED ${e.disabled_reason ?? ''}`}` +
            ` events: ${e.events ? e.events.join(',') : 'all'}`,
        ),
      );
    }
    case 'reset':
      return out(await request(flags, 'POST', '/_sandbox/reset'), () =>
        console.log('sandbox reset'),
      );
    default:
      throw new Error(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main().catch((err) => {
  console.error(`sandbox: ${err.message}`);
  process.exit(1);
});

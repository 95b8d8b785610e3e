import fc from 'fast-check';
import { commandArbitraries, placeOrderArbitrary } from './commands';
import type { Features } from './features';
import { checkSettled } from './invariants';
import type { SequenceModel, SequenceWorld } from './model';
import type { PropertyStack } from './stack';

export interface PropertyOptions {
  runs: number;
  seed: number;
  /** fast-check's path to a counterexample, to replay it (with the same seed). */
  path?: string;
  /** fc.commands' own replay path (the `replayPath` a failure prints), needed with `path`. */
  replayPath?: string;
  maxCommands: number;
  /** After the first failure, stop shrinking once this much time has passed. */
  shrinkBudgetMs: number;
  /** Print every sequence's trace, passing or not. */
  verbose?: boolean;
  log: (line: string) => void;
}

export interface PropertyOutcome {
  failed: boolean;
  report: string;
  runs: number;
  sequences: number;
  commands: number;
  ms: number;
}

interface Reconciler {
  runOnce(now?: Date): Promise<unknown>;
}

let runCounter = 0;

/**
 * Razorpay's timing for one sequence (when the sandbox has the settings): capture after the pay
 * call or later, refunds pending for a while, and webhooks in order or Razorpay-like (duplicated,
 * reordered, from a seeded PRNG).
 */
function sandboxProfile(features: Features): fc.Arbitrary<Record<string, number | string>> {
  return fc
    .record({
      captureDelayMs: fc.constantFrom(0, 200, 1500, 1500),
      refundProcessDelayMs: fc.constantFrom(0, 300),
      deliveryProfile: fc.constantFrom('razorpay', 'calm'),
      deliverySeed: fc.integer({ min: 1, max: 2 ** 31 - 2 }),
    })
    .map((p) => {
      const out: Record<string, number | string> = {};
      if (features.captureDelay) out.captureDelayMs = p.captureDelayMs;
      if (features.refundProcessDelay) out.refundProcessDelayMs = p.refundProcessDelayMs;
      if (features.deliveryProfile) {
        out.deliveryProfile = p.deliveryProfile;
        out.deliverySeed = p.deliverySeed;
      }
      return out;
    });
}

async function newWorld(
  stack: PropertyStack,
  features: Features,
  admin: string,
): Promise<{ world: SequenceWorld; model: SequenceModel }> {
  const runId = `${Date.now().toString(36)}${(runCounter++).toString(36)}`;
  const products = [];
  for (let i = 0; i < 3; i++) {
    const initialStock = 4 + 2 * i;
    const price = 10_000 * (i + 1) + 900;
    const res = await stack
      .http()
      .post('/api/products')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        name: `Property ${runId} p${i}`,
        price,
        stock: initialStock,
        description: 'property',
      });
    if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
    products.push({ id: (res.body as { id: string }).id, price, initialStock, adjustments: 0 });
  }
  const email = `property-${runId}@example.com`;
  const reg = await stack
    .http()
    .post('/api/auth/register')
    .send({ name: 'Property Shopper', email: `user-${email}`, password: 'correct-horse-1' });
  if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
  const user = reg.body as { id: string; accessToken: string };
  return {
    world: {
      stack,
      features,
      admin,
      user: { id: user.id, token: user.accessToken },
      email,
      trace: [],
    },
    model: {
      runId,
      products,
      orders: [],
      payments: [],
      refunds: [],
      lastOrderKey: null,
      waitUntil: 0,
      heldRequestsLandBy: 0,
      sequence: 0,
    },
  };
}

/**
 * Runs the model-based property: each sequence gets fresh products, a fresh shopper and a fresh
 * customer email on the one shared stack; every command checks the invariants when it is done.
 */
export async function runSettlementProperty(
  stack: PropertyStack,
  features: Features,
  admin: string,
  options: PropertyOptions,
): Promise<PropertyOutcome> {
  const { arbitraries, leftOut } = commandArbitraries(features);
  for (const line of leftOut) options.log(`left out: ${line}`);
  const started = Date.now();
  let sequences = 0;
  let commands = 0;
  let firstFailureAt = 0;
  let lastFailure: { trace: string[]; error: string } | null = null;

  const property = fc.asyncProperty(
    sandboxProfile(features),
    fc.array(placeOrderArbitrary(), { minLength: 1, maxLength: 2 }),
    fc.commands(arbitraries, {
      maxCommands: options.maxCommands,
      ...(options.replayPath ? { replayPath: options.replayPath } : {}),
    }),
    async (profile, prefix, cmds) => {
      if (firstFailureAt && Date.now() - firstFailureAt > options.shrinkBudgetMs) fc.pre(false);
      const { world, model } = await newWorld(stack, features, admin);
      sequences++;
      world.trace.push(`> sandbox settings ${JSON.stringify(profile)}`);
      if (Object.keys(profile).length > 0) {
        const res = await stack.sandbox('put', '/_sandbox/settings').send(profile);
        if (res.status !== 200) throw new Error(`sandbox settings: ${res.status}`);
      }
      try {
        await fc.asyncModelRun(() => ({ model, real: world }), prefix);
        await fc.asyncModelRun(() => ({ model, real: world }), cmds);
        // The end of a sequence: the reconciler has had its chance too.
        world.trace.push('> final: reconciler now, settle, all five invariants');
        await stack.get<Reconciler>('ReconcilerService').runOnce();
        await checkSettled(world, model);
        commands += world.trace.filter((l) => l.startsWith('> ')).length - 2;
        if (options.verbose) options.log(`sequence ${model.runId}:\n  ${world.trace.join('\n  ')}`);
      } catch (error) {
        firstFailureAt ||= Date.now();
        lastFailure = { trace: world.trace, error: (error as Error).message };
        throw error;
      }
    },
  );
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path ? { path: options.path } : {}),
  });
  const ms = Date.now() - started;
  if (!details.failed)
    return { failed: false, report: '', runs: details.numRuns, sequences, commands, ms };
  const failure = lastFailure as { trace: string[]; error: string } | null;
  const shrunk = fc.stringify(details.counterexample);
  const replayPath = /replayPath="([^"]*)"/.exec(shrunk)?.[1];
  const report = [
    `Settlement property failed after ${details.numRuns} sequence(s) and ${details.numShrinks} shrink(s).`,
    `Reproduce: npm run test:property -- --seed ${details.seed} --path ${details.counterexamplePath}` +
      `${replayPath ? ` --replay-path ${replayPath}` : ''} --runs ${options.runs}`,
    `Shrunk commands: ${shrunk}`,
    '',
    `Error: ${failure?.error ?? String(details.errorInstance)}`,
    '',
    'Trace of the shrunk sequence:',
    ...(failure?.trace ?? []).map((l) => `  ${l}`),
  ].join('\n');
  return { failed: true, report, runs: details.numRuns, sequences, commands, ms };
}

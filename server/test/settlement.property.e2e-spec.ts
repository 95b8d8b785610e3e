import { ADMIN } from './support/test-app';
import { detectFeatures, type Features } from './support/property/features';
import { runSettlementProperty } from './support/property/runner';
import { startPropertyStack, type PropertyStack } from './support/property/stack';

// A model-based property test of settlement (issue 10, "Proof"): random sequences of shop,
// Razorpay and operator commands against the real app, database and sandbox, with the five
// invariants checked after every command. `npm test` runs a few sequences; more with
// `npm run test:property -- --runs N [--seed S]` (PROPERTY_RUNS / PROPERTY_SEED / PROPERTY_PATH).
const RUNS = Number(process.env.PROPERTY_RUNS ?? 5);
const SEED = Number(process.env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PATH = process.env.PROPERTY_PATH || undefined;
const REPLAY_PATH = process.env.PROPERTY_REPLAY_PATH || undefined;
const MAX_COMMANDS = Number(process.env.PROPERTY_MAX_COMMANDS ?? 8);
const SHRINK_BUDGET_MS = Number(process.env.PROPERTY_SHRINK_MS ?? 45_000);

const log = (line: string) => process.stderr.write(`[property] ${line}\n`);

describe('Settlement property (e2e, fast-check)', () => {
  let stack: PropertyStack;
  let admin: string;
  let features: Features;

  beforeAll(async () => {
    stack = await startPropertyStack('property');
    const login = await stack.http().post('/api/auth/login').send(ADMIN).expect(200);
    admin = (login.body as { accessToken: string }).accessToken;
    const probe = await stack
      .http()
      .post('/api/products')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'Feature probe', price: 10000, stock: 1, description: 'probe' })
      .expect(201);
    features = await detectFeatures(stack, (probe.body as { id: string }).id, admin);
    log(`features: ${JSON.stringify(features)}`);
  }, 60_000);
  afterAll(() => stack?.close());

  it(
    'keeps every order, payment, refund and unit of stock right in any sequence',
    async () => {
      log(
        `seed ${SEED}${PATH ? ` path ${PATH}` : ''}, ${RUNS} sequence(s) of up to ${MAX_COMMANDS} commands`,
      );
      const outcome = await runSettlementProperty(stack, features, admin, {
        runs: RUNS,
        seed: SEED,
        path: PATH,
        replayPath: REPLAY_PATH,
        maxCommands: MAX_COMMANDS,
        shrinkBudgetMs: SHRINK_BUDGET_MS,
        verbose: process.env.PROPERTY_VERBOSE === '1',
        log,
      });
      log(
        `${outcome.sequences} sequence(s) executed, ${outcome.commands} commands in passing ones, ` +
          `${Math.round(outcome.ms / 1000)} s (seed ${SEED})`,
      );
      if (outcome.failed) throw new Error(outcome.report);
      // Replaying a path runs that sequence and its shrinks, not RUNS fresh ones.
      if (PATH) expect(outcome.runs).toBeGreaterThan(0);
      else expect(outcome.runs).toBe(RUNS);
    },
    Math.max(110_000, RUNS * 60_000 + SHRINK_BUDGET_MS),
  );
});

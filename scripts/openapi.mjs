// `npm run openapi`: writes the server's OpenAPI document to docs/openapi.json and generates the
// storefront's API types from it (client/src/app/api/openapi.gen.ts), so they are never written
// twice. CI regenerates both and fails if the committed copies differ.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './build-db.mjs';
import { ensureServerBuilt } from './lib/ensure-built.mjs';

const documentPath = join(repoRoot, 'docs', 'openapi.json');
const typesPath = join(repoRoot, 'client', 'src', 'app', 'api', 'openapi.gen.ts');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

ensureServerBuilt();
run(process.execPath, [join(repoRoot, 'dist/api/server/src/openapi.js'), documentPath]);
run('npx', ['openapi-typescript', documentPath, '-o', typesPath, '--silent']);
run('npx', ['prettier', '--log-level', 'warn', '--write', documentPath, typesPath]);
console.log(`OpenAPI document: ${documentPath}\nStorefront types: ${typesPath}`);

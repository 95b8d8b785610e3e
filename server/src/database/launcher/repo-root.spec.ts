import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from './repo-root';

describe(findRepoRoot.name, () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'repo-root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'razorpay-shop' }));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('should find the project root from the compiled output folder', () => {
    const compiled = join(root, 'dist', 'api', 'server', 'src', 'database', 'launcher');
    mkdirSync(compiled, { recursive: true });
    expect(findRepoRoot(compiled)).toBe(root);
  });

  it('should skip package.json files of other packages on the way up', () => {
    const nested = join(root, 'node_modules', 'other');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, 'package.json'), JSON.stringify({ name: 'other' }));
    expect(findRepoRoot(nested)).toBe(root);
  });

  it('should find this repository from the launcher source folder', () =>
    expect(findRepoRoot()).toMatch(/\S/));

  it('should throw when no project root is above', () =>
    expect(() => findRepoRoot(tmpdir())).toThrow('Cannot find the razorpay-shop repository root'));
});

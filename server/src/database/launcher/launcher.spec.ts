import { existsSync } from 'node:fs';
import { startDatabase } from './launcher';

describe(startDatabase.name, () => {
  const saved = process.env.MONGODB_URI;
  afterEach(() => {
    if (saved === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = saved;
  });

  it('should use MONGODB_URI without starting anything when it is set', async () => {
    process.env.MONGODB_URI = 'mongodb://db.example:27017/shop';

    const handle = await startDatabase({ mode: 'persistent' });

    expect(handle).toMatchObject({ kind: 'external', uri: 'mongodb://db.example:27017/shop' });
    await expect(handle.stop()).resolves.toBeUndefined();
  });

  // Starts the real embedded database (built on first use, which takes minutes without a cache).
  it('should start an ephemeral embedded database and remove its data when stopped', async () => {
    delete process.env.MONGODB_URI;
    const lines: string[] = [];

    const handle = await startDatabase({ mode: 'ephemeral', log: (line) => lines.push(line) });
    const dataDir = /\(data: (.+)\)$/.exec(lines.find((l) => l.includes('(data: ')) ?? '')?.[1];
    await handle.stop();

    expect(handle.kind).toBe('ferretdb');
    expect(handle.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(dataDir && existsSync(dataDir)).toBe(false);
  }, 600_000);
});

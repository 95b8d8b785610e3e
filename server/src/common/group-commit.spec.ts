import { GroupCommit } from './group-commit';

/** A write that takes a turn of the event loop, like a database round trip, and records batches. */
function recordingWrite<T>() {
  const batches: T[][] = [];
  const write = async (items: T[]) => {
    batches.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return items.map((item) => `wrote ${String(item)}`);
  };
  return { batches, write };
}

describe('GroupCommit', () => {
  it('writes an item alone when nothing else is waiting, without delay', async () => {
    const { batches, write } = recordingWrite<number>();
    const commit = new GroupCommit(write);
    const started = Date.now();
    expect(await commit.add(1)).toBe('wrote 1');
    expect(batches).toEqual([[1]]);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('sends what arrives during a write together in the next one, each caller its own result', async () => {
    const { batches, write } = recordingWrite<number>();
    const commit = new GroupCommit(write);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => commit.add(n)));
    expect(results).toEqual(['wrote 1', 'wrote 2', 'wrote 3', 'wrote 4', 'wrote 5']);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('caps a batch', async () => {
    const { batches, write } = recordingWrite<number>();
    const commit = new GroupCommit(write, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => commit.add(n)));
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails every caller of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const commit = new GroupCommit<number, number>(async (items) => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (calls === 2) throw new Error('database down');
      return items;
    });
    const first = commit.add(1);
    const failed = [commit.add(2), commit.add(3)];
    await expect(first).resolves.toBe(1);
    for (const f of failed) await expect(f).rejects.toThrow('database down');
    await expect(commit.add(4)).resolves.toBe(4);
  });
});

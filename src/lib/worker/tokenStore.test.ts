/**
 * The token cache on "disk" (an in-memory OPFS stand-in): an entry written is found under its key
 * only, listed with its size and description, and deleted; it is written under a temporary name
 * and renamed, so an interrupted write leaves a `.part` file that is listed but never read; an
 * entry that fails its checks is a miss, deleted when met.
 */
import { describe, expect, it } from 'vitest';
import { memoryDir } from '../testing/hub';
import { entryName, type TokenKey, type TokenRows } from './tokenFormat';
import { TokenStore } from './tokenStore';

const key: TokenKey = {
  encoding: 1,
  task: 'STS-B',
  maxLen: 32,
  maxTrain: 0,
  maxDev: 0,
  tokenizer: 'json:aa',
  train: 'bb',
  dev: null,
};
const source = { model: 'o/m', revision: 'r', tokenizer: 'tokenizer.json', train: 't', dev: null };
const rows: TokenRows = { train: [{ ids: [0, 9, 2], label: 2.4 }], dev: [] };

describe('TokenStore', () => {
  it('keeps, finds, lists and deletes an entry', async () => {
    const mem = memoryDir();
    const store = new TokenStore(async () => mem.dir);
    expect(await store.get(key)).toEqual({ found: null, problem: null });
    const size = await store.put(key, source, rows);
    const name = await entryName(key);
    expect([...mem.files.keys()]).toEqual([name]);
    const got = await store.get(key);
    expect(got.found?.train.map((r) => [Array.from(r.ids), r.label])).toEqual([[[0, 9, 2], 2.4]]);
    expect(await store.get({ ...key, maxLen: 33 })).toEqual({ found: null, problem: null });
    const list = await store.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name, size, problem: null });
    expect(list[0].header).toMatchObject({ key, source, train: { rows: 1, tokens: 3 } });
    await store.remove(name);
    expect(await store.list()).toEqual([]);
  });

  it('writes under a temporary name: an interrupted write is listed, never read', async () => {
    const mem = memoryDir();
    const store = new TokenStore(async () => mem.dir);
    const name = await entryName(key);
    // what a tab closed after the write's close and before the rename leaves
    await store.put(key, source, rows);
    mem.files.set(`${name}.part`, mem.files.get(name)!);
    mem.files.delete(name);
    expect(await store.get(key)).toEqual({ found: null, problem: null });
    expect(await store.list()).toMatchObject([
      { name: `${name}.part`, header: null, problem: 'an unfinished write' },
    ]);
    // the next put replaces it
    await store.put(key, source, rows);
    expect([...mem.files.keys()]).toEqual([name]);
  });

  it('an entry that fails its checks is a miss, and is deleted', async () => {
    const mem = memoryDir();
    const store = new TokenStore(async () => mem.dir);
    await store.put(key, source, rows);
    const name = await entryName(key);
    mem.files.set(name, mem.files.get(name)!.subarray(0, 40));
    expect(await store.list()).toMatchObject([{ name, header: null }]);
    expect(await store.get(key)).toEqual({ found: null, problem: 'its header is cut short' });
    expect(mem.files.size).toBe(0);
  });
});

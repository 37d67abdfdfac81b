/**
 * The token cache's key names everything the encoded rows depend on (task, maximum length, caps,
 * the tokenizer's and the data's bytes) and nothing else: the same bytes under other names or
 * times give the same key, one changed byte another; the cache keeps the most recently used
 * entries; an entry's description names the Hub repository and commit of a downloaded tokenizer.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheName } from '../glue/hubCache';
import type { GlueFiles, GlueRaceSettings, NamedBlob } from './glueProtocol';
import { TokenCache, tokenKeyOf, tokenSourceOf } from './tokenCache';

const file = (name: string, text: string, modified = 1, stored = name): NamedBlob => ({
  name,
  blob: new File([text], stored, { lastModified: modified }),
});

const files = (over: Partial<GlueFiles> = {}): GlueFiles => ({
  config: file('config.json', '{}'),
  weights: file('model.safetensors', 'w'),
  tokenizer: file('tokenizer.json', '{"model": 1}'),
  vocab: null,
  merges: null,
  train: file('train.tsv', 'a\tb'),
  dev: file('dev.tsv', 'c\td'),
  ...over,
});
type KeySettings = Pick<GlueRaceSettings, 'task' | 'maxLen' | 'maxTrain' | 'maxDev'>;
const settings: KeySettings = { task: 'MRPC', maxLen: 128, maxTrain: 0, maxDev: 0 };
const enc = (text: string) => new TextEncoder().encode(text);
const data: { train: Uint8Array; dev: Uint8Array | null } = {
  train: enc('a\tb'),
  dev: enc('c\td'),
};
const keyOf = async (f: GlueFiles, s = settings, d = data) =>
  JSON.stringify(await tokenKeyOf(f, s, d));

describe('tokenKeyOf', () => {
  it('holds the SHA-256 of the files it reads', async () => {
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(await tokenKeyOf(files(), settings, data)).toEqual({
      encoding: 1,
      ...settings,
      tokenizer: `json:${sha('{"model": 1}')}`,
      train: sha('a\tb'),
      dev: sha('c\td'),
    });
  });

  it('is the same for the same bytes, whatever their names, times or the weights', async () => {
    const base = await keyOf(files());
    // the encoded rows do not depend on the weights or the config (the pruned vocabulary is made later)
    expect(await keyOf(files({ weights: file('model.safetensors', 'other') }))).toBe(base);
    // the same files chosen again after a reload: other File objects, other times
    expect(
      await keyOf(
        files({
          tokenizer: file('tokenizer.json', '{"model": 1}', 7, 'done model x rev t'),
          train: file('renamed.tsv', 'a\tb', 9),
        }),
      ),
    ).toBe(base);
  });

  it('changes with the task, the length, the caps and the bytes of every file it reads', async () => {
    const base = await keyOf(files());
    const others = [
      await keyOf(files(), { ...settings, task: 'RTE' }),
      await keyOf(files(), { ...settings, maxLen: 64 }),
      await keyOf(files(), { ...settings, maxTrain: 100 }),
      await keyOf(files(), { ...settings, maxDev: 100 }),
      await keyOf(files(), settings, { ...data, train: enc('a\tc') }),
      await keyOf(files(), settings, { ...data, dev: enc('c\te') }),
      await keyOf(files(), settings, { ...data, dev: null }),
      await keyOf(files({ tokenizer: file('tokenizer.json', '{"model": 2}') })),
      await keyOf(
        files({ tokenizer: null, vocab: file('vocab.json', '{}'), merges: file('merges.txt', '') }),
      ),
      await keyOf(
        files({
          tokenizer: null,
          vocab: file('vocab.json', '{}'),
          merges: file('merges.txt', 'x'),
        }),
      ),
    ];
    for (const [i, k] of others.entries()) expect(k, `change ${i}`).not.toBe(base);
    expect(new Set(others).size).toBe(others.length);
  });
});

describe('tokenSourceOf', () => {
  it('names the Hub repository and commit of a downloaded tokenizer, else the file names', () => {
    const stored = cacheName(
      {
        kind: 'model',
        repo: 'distilbert/distilroberta-base',
        revision: 'abc123',
        path: 'tokenizer.json',
      },
      'done',
    );
    expect(tokenSourceOf(files({ tokenizer: file('tokenizer.json', '{}', 1, stored) }))).toEqual({
      model: 'distilbert/distilroberta-base',
      revision: 'abc123',
      tokenizer: 'tokenizer.json',
      train: 'train.tsv',
      dev: 'dev.tsv',
    });
    expect(
      tokenSourceOf(
        files({ tokenizer: null, vocab: file('vocab.json', '{}'), merges: file('merges.txt', '') }),
      ),
    ).toMatchObject({ model: null, revision: null, tokenizer: 'vocab.json + merges.txt' });
  });
});

describe('TokenCache', () => {
  it('keeps the most recently used entries up to its capacity', () => {
    const c = new TokenCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });
});

/**
 * The token cache's key names everything the encoded rows depend on (task, maximum length, caps,
 * the tokenizer's and the data's files by name, stored name, size and modification time) and
 * nothing else; the cache keeps the most recently used entries.
 */
import { describe, expect, it } from 'vitest';
import type { GlueFiles, NamedBlob } from './glueProtocol';
import { TokenCache, tokenCacheKey } from './tokenCache';

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
const settings = { task: 'MRPC', maxLen: 128, maxTrain: 0, maxDev: 0 } as const;

describe('tokenCacheKey', () => {
  it('is the same for the same files and settings, whatever the weights', () => {
    expect(tokenCacheKey(files(), settings)).toBe(tokenCacheKey(files(), { ...settings }));
    // the encoded rows do not depend on the weights or the config (the pruned vocabulary is made later)
    expect(tokenCacheKey(files({ weights: file('model.safetensors', 'other') }), settings)).toBe(
      tokenCacheKey(files(), settings),
    );
  });

  it('changes with the task, the length, the caps and every file it reads', () => {
    const base = tokenCacheKey(files(), settings);
    const others = [
      tokenCacheKey(files(), { ...settings, task: 'RTE' }),
      tokenCacheKey(files(), { ...settings, maxLen: 64 }),
      tokenCacheKey(files(), { ...settings, maxTrain: 100 }),
      tokenCacheKey(files(), { ...settings, maxDev: 100 }),
      // an edited file (same name and size, later modification), a longer one, another revision
      tokenCacheKey(files({ train: file('train.tsv', 'a\tb', 2) }), settings),
      tokenCacheKey(files({ dev: file('dev.tsv', 'c\tdd') }), settings),
      tokenCacheKey(
        files({ tokenizer: file('tokenizer.json', '{"model": 1}', 1, 'done model x rev2 t') }),
        settings,
      ),
      tokenCacheKey(files({ dev: null }), settings),
      tokenCacheKey(
        files({
          tokenizer: null,
          vocab: file('vocab.json', '{}'),
          merges: file('merges.txt', ''),
        }),
        settings,
      ),
    ];
    for (const [i, k] of others.entries()) expect(k, `change ${i}`).not.toBe(base);
    expect(new Set(others).size).toBe(others.length);
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

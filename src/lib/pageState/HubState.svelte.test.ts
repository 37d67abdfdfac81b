/**
 * The GLUE page's Hub state in Node: an in-memory OPFS and a fake Hub (its API naming the commit
 * and files, its CDN answering Range requests). A click downloads a model and a task's data at one
 * commit, progress names the file and bytes; cancel keeps the chunks for a resume; a missing id
 * or file is explained; the cached sets come back as the worker's files by role; the token ids
 * the worker kept are listed with their sizes and deleted one by one.
 */
import { describe, expect, it } from 'vitest';
import { HubCache } from '../glue/hubCache';
import { cachedData, cachedModel } from '../glue/hubSets';
import { fakeHub, memoryDir } from '../testing/hub';
import { entryName } from '../worker/tokenFormat';
import { TokenStore } from '../worker/tokenStore';
import { CHUNK_BYTES, HubState } from './HubState.svelte';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DATA_SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const ID = 'owner/tiny-roberta';
const CONFIG = new TextEncoder().encode('{"model_type":"roberta"}');
const WEIGHTS = Uint8Array.from({ length: CHUNK_BYTES + 1000 }, (_, i) => i % 253);
const VOCAB = new TextEncoder().encode('{"<s>":0}');
const MERGES = new TextEncoder().encode('#version: 0.2\n');
const PARQUET = new TextEncoder().encode('PAR1 not really PAR1');

const model = `https://huggingface.co/${ID}/resolve/${SHA}/`;
const data = `https://huggingface.co/datasets/nyu-mll/glue/resolve/${DATA_SHA}/rte/`;
const FILES = {
  [model + 'config.json']: CONFIG,
  [model + 'model.safetensors']: WEIGHTS,
  [model + 'vocab.json']: VOCAB,
  [model + 'merges.txt']: MERGES,
  [data + 'train-00000-of-00001.parquet']: PARQUET,
  [data + 'validation-00000-of-00001.parquet']: PARQUET,
};
const API = {
  [`https://huggingface.co/api/models/${ID}/revision/main`]: {
    sha: SHA,
    siblings: ['config.json', 'model.safetensors', 'vocab.json', 'merges.txt', 'README.md'].map(
      (rfilename) => ({ rfilename }),
    ),
  },
  'https://huggingface.co/api/datasets/nyu-mll/glue/revision/main': { sha: DATA_SHA },
  [`https://huggingface.co/api/datasets/nyu-mll/glue/revision/${DATA_SHA}`]: { sha: DATA_SHA },
};

function setup(breakAt: number[] = [], fetchWrap?: (f: typeof fetch) => typeof fetch) {
  const mem = memoryDir();
  const hub = fakeHub(FILES, breakAt, API);
  const f = fetchWrap ? fetchWrap(hub.fetch as typeof fetch) : hub.fetch;
  const state = new HubState(new HubCache(async () => mem.dir), f, async () => ({
    usage: 1234,
    quota: 10_000,
  }));
  return { mem, hub, state };
}

describe('HubState', () => {
  it('downloads a model and a task’s data at one commit each, with progress by file', async () => {
    const seen: string[] = [];
    const box = {} as { state: HubState };
    // what the page shows at each request: the job's file and bytes so far
    const { hub, ...rest } = setup([5], (f) => async (url, init) => {
      const j = box.state.job;
      seen.push(j?.path ? `${j.path} ${j.bytes}/${j.total}` : `${j?.label}`);
      return f(url, init);
    });
    const state = (box.state = rest.state);
    expect(await state.downloadModel(ID, '')).toBe(SHA);
    // the API names the commit; vocab.json + merges.txt stand in for a missing tokenizer.json;
    // the weights come in two Range chunks, the first broken once and asked for again
    expect(hub.requests).toEqual([
      `api https://huggingface.co/api/models/${ID}/revision/main`,
      'config.json bytes=0-4194303',
      'vocab.json bytes=0-4194303',
      'merges.txt bytes=0-4194303',
      'model.safetensors bytes=0-4194303',
      'model.safetensors bytes=0-4194303',
      `model.safetensors bytes=4194304-${WEIGHTS.length - 1}`,
    ]);
    expect(seen.slice(0, 2)).toEqual([`model ${ID}`, `model ${ID}`]);
    expect(seen.at(-1)).toBe(`model.safetensors ${CHUNK_BYTES}/${WEIGHTS.length}`);
    expect(state.job).toBeNull();
    expect(state.error).toBeNull();
    expect(state.done).toBe(`model ${ID} downloaded`);
    expect(state.storage).toEqual({ usage: 1234, quota: 10_000 });
    const set = cachedModel(state.entries, ID)!;
    expect(set.revision).toBe(SHA);
    expect(set.bytes).toBe(CONFIG.length + WEIGHTS.length + VOCAB.length + MERGES.length);
    const blobs = await state.blobs(set);
    expect(Object.keys(blobs).sort()).toEqual(['config', 'merges', 'vocab', 'weights']);
    expect(blobs.weights!.name).toBe('model.safetensors');
    // (Buffer.equals: toEqual walks 4 M elements one by one for half a minute)
    const got = Buffer.from(await blobs.weights!.blob.arrayBuffer());
    expect(got.equals(Buffer.from(WEIGHTS))).toBe(true);

    expect(await state.downloadData('RTE', '')).toBe(DATA_SHA);
    const rte = cachedData(state.entries, 'RTE')!;
    expect(rte.files.train?.path).toBe('rte/train-00000-of-00001.parquet');
    expect(rte.files.dev?.path).toBe('rte/validation-00000-of-00001.parquet');
    // a pinned revision is asked for by its commit
    await state.remove(rte.files.dev!);
    expect(await state.downloadData('RTE', DATA_SHA)).toBe(DATA_SHA);
    expect(hub.requests.at(-2)).toBe(
      `api https://huggingface.co/api/datasets/nyu-mll/glue/revision/${DATA_SHA}`,
    );
    expect(hub.requests.at(-1)).toBe('validation-00000-of-00001.parquet bytes=0-4194303');
  });

  it('cancel keeps the chunks written; the next click resumes; delete removes them', async () => {
    const box = {} as { state: HubState };
    let cancelled = false;
    const { hub, ...rest } = setup([], (f) => async (url, init) => {
      // the user cancels once the first chunk of the weights has arrived; fetch then rejects
      const second = /bytes=4194304/.test(JSON.stringify(init));
      if (String(url).endsWith('model.safetensors') && second && !cancelled) {
        cancelled = true;
        box.state.cancel();
        init!.signal!.throwIfAborted();
      }
      return f(url, init);
    });
    const state = (box.state = rest.state);
    expect(await state.downloadModel(ID, '')).toBeNull();
    expect(state.error).toBeNull();
    expect(state.done).toBe(`model ${ID}: download cancelled`);
    const weights = state.entries.find((e) => e.path === 'model.safetensors')!;
    expect(weights).toMatchObject({ complete: false, size: CHUNK_BYTES });
    expect(cachedModel(state.entries, ID)).toBeNull();

    const before = hub.requests.length;
    expect(await state.downloadModel(ID, '')).toBe(SHA);
    expect(hub.requests.slice(before)).toEqual([
      `api https://huggingface.co/api/models/${ID}/revision/main`,
      `model.safetensors bytes=4194304-${2 * CHUNK_BYTES - 1}`,
    ]);
    for (const e of state.entries) await state.remove(e);
    expect(state.entries).toEqual([]);
  });

  it('says in words what is wrong: an unknown id, a repository without safetensors', async () => {
    const { hub, state } = setup();
    expect(await state.downloadModel('no/such-model', '')).toBeNull();
    expect(state.error).toBe(
      'no/such-model: no public model of that id (or revision main) on the Hub',
    );
    const api = `https://huggingface.co/api/models/${ID}/revision/main`;
    (API[api] as { siblings: { rfilename: string }[] }).siblings.splice(1, 1);
    try {
      expect(await state.downloadModel(ID, '')).toBeNull();
    } finally {
      (API[api] as { siblings: { rfilename: string }[] }).siblings.splice(1, 0, {
        rfilename: 'model.safetensors',
      });
    }
    expect(state.error).toMatch(/has no model\.safetensors on the Hub/);
    // only the two API questions were asked: nothing large was fetched
    expect(hub.requests.every((r) => r.startsWith('api '))).toBe(true);
    expect(state.entries).toEqual([]);
  });

  it('offers nothing without OPFS', async () => {
    const { hub } = setup();
    const state = new HubState(null, hub.fetch);
    expect(state.available).toBe(false);
    expect(await state.downloadModel(ID, '')).toBeNull();
    expect(hub.requests).toEqual([]);
  });

  it('lists the token ids the worker kept, with their sizes, and deletes one', async () => {
    const tokensDir = memoryDir();
    const tokens = new TokenStore(async () => tokensDir.dir);
    const key = (task: string) => ({
      encoding: 1,
      task,
      maxLen: 40,
      maxTrain: 0,
      maxDev: 0,
      tokenizer: 'json:aa',
      train: 'bb',
      dev: null,
    });
    const source = {
      model: null,
      revision: null,
      tokenizer: 'tokenizer.json',
      train: 't',
      dev: null,
    };
    const rows = { train: [{ ids: [0, 2], label: 1 }], dev: [] };
    const sizes = [
      await tokens.put(key('RTE'), source, rows),
      await tokens.put(key('MRPC'), source, rows),
    ];
    const state = new HubState(new HubCache(async () => memoryDir().dir), fetch, undefined, tokens);
    await state.refresh();
    expect(state.tokens.map((t) => [t.header?.key.task, t.size]).sort()).toEqual(
      [
        ['MRPC', sizes[1]],
        ['RTE', sizes[0]],
      ].sort(),
    );
    await state.removeTokens(await entryName(key('RTE')));
    expect(state.tokens.map((t) => t.header?.key.task)).toEqual(['MRPC']);
    expect(tokensDir.files.size).toBe(1);
  });
});

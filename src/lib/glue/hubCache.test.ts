/**
 * The Hub download cache without a browser: an in-memory directory that behaves as OPFS does
 * (a writable's bytes go to a swap copy and become the file's only on close; a handle renames
 * with move), a fake Hub answering Range requests, and the sets the page rebuilds after a reload.
 */
import { describe, expect, it } from 'vitest';
import { COMMIT, downloadRanged, resolveRevision } from './hub';
import { cacheName, HubCache, parseCacheName, type CacheKey } from './hubCache';
import { cachedData, cachedModel, dataPlan, downloadPlan, modelPlan } from './hubSets';
import { TASKS } from './tasks';
import { fakeHub, memoryDir } from '../testing/hub';

const WEIGHTS = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 251);
const SMALL = new TextEncoder().encode('{"model_type": "roberta"}');
const SHA = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);

const ID = 'distilbert/distilroberta-base';
const plan = modelPlan(ID, SHA, ['config.json', 'model.safetensors', 'tokenizer.json', 'x.bin']);
const served = Object.fromEntries(
  plan.map((p) => [p.url, p.path === 'model.safetensors' ? WEIGHTS : SMALL]),
);

describe('the Hub cache', () => {
  it('names files by state, kind, repository, revision and path, and reads them back', () => {
    const key: CacheKey = { kind: 'model', repo: 'a b/c', revision: SHA, path: 'x/y z.json' };
    const name = cacheName(key, 'part');
    expect(name.split(' ')).toHaveLength(5);
    expect(parseCacheName(name)).toEqual({ ...key, state: 'part' });
    for (const foreign of ['notes.txt', 'part model a b', 'gone model a b c', 'done x a b c'])
      expect(parseCacheName(foreign), foreign).toBeNull();
  });

  it('downloads a model by Range chunks into part files, renamed when complete', async () => {
    const mem = memoryDir();
    const cache = new HubCache(async () => mem.dir, 400);
    const hub = fakeHub(served, [4]);
    const seen: string[] = [];
    await downloadPlan(plan, cache, {
      fetch: hub.fetch,
      chunkBytes: 300,
      onProgress: (p) => seen.push(`${p.index + 1}/${p.count} ${p.path} ${p.bytes}/${p.total}`),
    });
    // config, tokenizer, then the weights' four chunks, the second one broken once
    expect(hub.requests.slice(2)).toEqual([
      'model.safetensors bytes=0-299',
      'model.safetensors bytes=300-599',
      'model.safetensors bytes=300-599',
      'model.safetensors bytes=600-899',
      'model.safetensors bytes=900-999',
    ]);
    expect(seen.slice(2)).toEqual([
      '3/3 model.safetensors 300/1000',
      '3/3 model.safetensors 600/1000',
      '3/3 model.safetensors 900/1000',
      '3/3 model.safetensors 1000/1000',
    ]);
    const list = await cache.list();
    expect(list.map((e) => [e.path, e.size, e.complete])).toEqual([
      ['config.json', SMALL.length, true],
      ['model.safetensors', 1000, true],
      ['tokenizer.json', SMALL.length, true],
    ]);
    expect([...mem.files.keys()].every((n) => n.startsWith('done '))).toBe(true);
    const weights = await cache.file(plan[2]);
    expect(new Uint8Array(await weights!.arrayBuffer())).toEqual(WEIGHTS);

    // a second download of the same set asks the Hub for nothing
    const again = fakeHub(served);
    await downloadPlan(plan, cache, { fetch: again.fetch });
    expect(again.requests).toEqual([]);
  });

  it('keeps only checkpointed whole chunks when stopped, and resumes from them', async () => {
    const mem = memoryDir();
    const cache = new HubCache(async () => mem.dir, 500);
    const weights = plan.filter((p) => p.path === 'model.safetensors');
    const stop = new AbortController();
    const hub = fakeHub(served);
    // the tab goes away while the fourth chunk is in flight: chunks 1–2 were checkpointed (500
    // bytes), chunk 3 sits in the writable's swap copy only and is lost with it
    const fetch = async (url: string, init: RequestInit) => {
      if (hub.requests.length === 3) {
        stop.abort();
        throw new DOMException('aborted', 'AbortError');
      }
      return hub.fetch(url, init);
    };
    // a closed tab runs no `finally`: the sink is driven without downloadPlan's save()
    const sink = await cache.sink(weights[0]);
    await expect(
      downloadRanged({ url: weights[0].url, sink, fetch, chunkBytes: 250, signal: stop.signal }),
    ).rejects.toThrow(/aborted/);
    const part = [...mem.files.entries()].find(([n]) => n.startsWith('part '))!;
    expect(part[1]).toEqual(WEIGHTS.slice(0, 500));
    expect((await cache.list())[0]).toMatchObject({ size: 500, complete: false });
    expect(await cache.file(weights[0])).toBeNull();

    const rest = fakeHub(served);
    await downloadPlan(weights, cache, { fetch: rest.fetch, chunkBytes: 250 });
    expect(rest.requests).toEqual([
      'model.safetensors bytes=500-749',
      'model.safetensors bytes=750-999',
    ]);
    expect(new Uint8Array(await (await cache.file(weights[0]))!.arrayBuffer())).toEqual(WEIGHTS);
  });

  it('a cancelled download keeps what it wrote; delete removes complete and partial files', async () => {
    const mem = memoryDir();
    const cache = new HubCache(async () => mem.dir, 1e9);
    const stop = new AbortController();
    const hub = fakeHub(served);
    await expect(
      downloadPlan(plan, cache, {
        fetch: hub.fetch,
        chunkBytes: 300,
        signal: stop.signal,
        onProgress: (p) => {
          if (p.path === 'model.safetensors' && p.bytes === 600) stop.abort();
        },
      }),
    ).rejects.toThrow();
    const list = await cache.list();
    expect(list.find((e) => e.path === 'model.safetensors')).toMatchObject({
      size: 600,
      complete: false,
    });
    expect(cachedModel(list, ID)).toBeNull();
    for (const e of list) await cache.remove(e);
    expect(mem.files.size).toBe(0);
    await cache.remove(plan[0]); // already gone: not an error
  });

  it('finds the newest complete set after a reload, at the pinned revision when there is one', async () => {
    const mem = memoryDir();
    const cache = new HubCache(async () => mem.dir);
    const older = modelPlan(ID, SHA2, [
      'config.json',
      'model.safetensors',
      'vocab.json',
      'merges.txt',
    ]);
    const all = { ...served, ...Object.fromEntries(older.map((p) => [p.url, SMALL])) };
    await downloadPlan(older, cache, { fetch: fakeHub(all).fetch });
    await downloadPlan(plan, cache, { fetch: fakeHub(all).fetch });
    const list = await cache.list();
    const newest = cachedModel(list, ID)!;
    expect(newest.revision).toBe(SHA);
    expect(Object.keys(newest.files).sort()).toEqual(['config', 'tokenizer', 'weights']);
    expect(newest.bytes).toBe(1000 + 2 * SMALL.length);
    const pinned = cachedModel(list, ID, SHA2)!;
    expect(Object.keys(pinned.files).sort()).toEqual(['config', 'merges', 'vocab', 'weights']);
    expect(cachedModel(list, ID, 'c'.repeat(40))).toBeNull();
    expect(cachedModel(list, 'other/model')).toBeNull();

    // MNLI's dev file is validation_matched; the set needs both files
    const mnli = dataPlan(TASKS.MNLI, SHA);
    expect(mnli.map((p) => p.url)).toEqual([
      `https://huggingface.co/datasets/nyu-mll/glue/resolve/${SHA}/mnli/train-00000-of-00001.parquet`,
      `https://huggingface.co/datasets/nyu-mll/glue/resolve/${SHA}/mnli/validation_matched-00000-of-00001.parquet`,
    ]);
    const data = Object.fromEntries(mnli.map((p) => [p.url, SMALL]));
    await downloadPlan(mnli.slice(0, 1), cache, { fetch: fakeHub(data).fetch });
    expect(cachedData(await cache.list(), 'MNLI')).toBeNull();
    await downloadPlan(mnli, cache, { fetch: fakeHub(data).fetch });
    const set = cachedData(await cache.list(), 'MNLI')!;
    expect(set.files.dev?.path).toBe('mnli/validation_matched-00000-of-00001.parquet');
    expect(cachedData(await cache.list(), 'RTE')).toBeNull();
  });
});

describe('planning a download', () => {
  it('names what a repository lacks before fetching anything large', () => {
    expect(() =>
      modelPlan(ID, SHA, ['config.json', 'pytorch_model.bin', 'tokenizer.json']),
    ).toThrow(/has no model\.safetensors on the Hub/);
    expect(() => modelPlan(ID, SHA, ['config.json', 'model.safetensors', 'vocab.json'])).toThrow(
      /no tokenizer\.json \(nor vocab\.json \+ merges\.txt\)/,
    );
    expect(plan.map((p) => p.url)).toEqual(
      ['config.json', 'tokenizer.json', 'model.safetensors'].map(
        (f) => `https://huggingface.co/${ID}/resolve/${SHA}/${f}`,
      ),
    );
  });

  it('resolves a revision to its commit through the Hub API, and explains a missing id', async () => {
    const asked: string[] = [];
    const answer = (status: number, body: unknown) => async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify(body), { status });
    };
    const ok = await resolveRevision(
      'model',
      ID,
      'main',
      answer(200, { sha: SHA, siblings: [{ rfilename: 'config.json' }, { rfilename: 7 }] }),
    );
    expect(ok).toEqual({ sha: SHA, files: ['config.json'] });
    expect(COMMIT.test(ok.sha)).toBe(true);
    expect(asked).toEqual([`https://huggingface.co/api/models/${ID}/revision/main`]);
    await resolveRevision('dataset', 'nyu-mll/glue', SHA, answer(200, { sha: SHA }));
    expect(asked[1]).toBe(`https://huggingface.co/api/datasets/nyu-mll/glue/revision/${SHA}`);
    await expect(resolveRevision('model', 'no/such', 'main', answer(404, {}))).rejects.toThrow(
      /no\/such: no public model of that id/,
    );
    await expect(
      resolveRevision('model', ID, 'main', answer(200, { sha: 'main' })),
    ).rejects.toThrow(/named no commit/);
    await expect(
      resolveRevision('model', 'http://evil/x', 'main', answer(200, {})),
    ).rejects.toThrow(/not a Hugging Face id/);
  });
});

/**
 * The GLUE worker's checkpoints in Node (wasm backend, tiny MRPC, an in-memory OPFS): a run of N
 * steps equals a run stopped after k steps, kept as a checkpoint and resumed for N − k steps (the
 * losses at float32 tolerance, with dropout, shuffling and a warm-up schedule, so the data
 * position, the dropout masks and the schedule step all have to continue); the kept weights file
 * reads back with the library's reader under Hugging Face names and the full vocabulary; a state
 * file of another run is refused with its reason; a second race of the same files takes its
 * token ids from the cache, and so does a new worker (a reload) through the token store, which
 * rebuilds an entry that fails its checks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blobSource } from '../glue/bytes';
import { openSafetensors } from '../glue/safetensors';
import { recipe } from '../optim/config';
import { DEFAULT_GLUE } from '../state/defaults';
import { memoryDir } from '../testing/hub';
import { fixtureBytes } from '../testing/roberta';
import { useWasm } from '../tf/roberta/tinyModel';
import { WORD } from '../tf/roberta/shape';
import { CheckpointStore, curvesOf } from './glueCheckpoints';
import { TokenStore } from './tokenStore';
import { fromKept } from '../pageState/glueResume';
import { TASKS } from '../glue/tasks';
import { fineTunedConfig } from '../glue/hfFolder';
import { fixtureText } from '../testing/roberta';
import { GlueHandlers } from './glueHandlers';
import type { FromGlue, GlueFiles, GlueRaceSettings, NamedBlob, ResumeFrom } from './glueProtocol';

const blob = (path: string): NamedBlob => ({
  name: path.split('/').pop()!,
  blob: new Blob([fixtureBytes(path) as Uint8Array<ArrayBuffer>]),
});

const tinyFiles = (): GlueFiles => ({
  config: blob('tiny/config.json'),
  weights: blob('tiny/model.safetensors'),
  tokenizer: blob('tokenizer.json'),
  vocab: null,
  merges: null,
  train: blob('glue/MRPC/train.tsv'),
  dev: blob('glue/MRPC/dev.tsv'),
});

const N = 5;
const { xAxis: _x, runs: _r, ...rows } = DEFAULT_GLUE;
const race = (over: Partial<GlueRaceSettings> = {}): GlueRaceSettings => ({
  ...rows,
  backend: 'wasm',
  batch: 4,
  steps: N,
  maxLen: 40,
  dropout: 0.1,
  schedule: 'linear',
  warmup: 0.3,
  evalEvery: 2,
  runs: [
    { label: 'AdaSAM', config: recipe('adasam', 'paper', { lr: 1e-3, rho: 0.05 }) },
    { label: 'AMSGrad', config: recipe('amsgrad', 'paper', { lr: 1e-3 }) },
  ],
  ...over,
});

/** Handlers on an in-memory store; `stopBefore`: stop when run 0 is about to take that step. */
function harness(store: CheckpointStore, stopBefore?: number, tokens: TokenStore | null = null) {
  const sent: FromGlue[] = [];
  let yields = 0;
  const h: GlueHandlers = new GlueHandlers({
    post: (m) => sent.push(m),
    pickBackend: async () => ({ name: 'wasm', reason: 'test', fallbacks: [] }),
    checkpoints: store,
    tokens,
    // one yield before each step of the loop: the (k+1)-th comes after k steps of the first run
    yieldToEvents: async () => {
      if (stopBefore !== undefined && ++yields === stopBefore + 1) await h.handle({ type: 'stop' });
    },
  });
  return { h, sent };
}

const lossesOf = (sent: FromGlue[], run: number) =>
  sent.flatMap((m) => (m.type === 'step' && m.run === run ? [m.record] : []));

const close = (got: number, want: number) => Math.abs(got - want) <= 1e-6 + 1e-5 * Math.abs(want);

beforeAll(useWasm);

describe('GLUE checkpoints in the worker', () => {
  it('N steps equal k steps, a kept checkpoint, and N − k resumed steps', async () => {
    const straight = harness(new CheckpointStore(async () => memoryDir().dir));
    await straight.h.handle({ type: 'start', files: tinyFiles(), settings: race() });
    const want = [lossesOf(straight.sent, 0), lossesOf(straight.sent, 1)];
    expect(want.map((w) => w.length)).toEqual([N, N]);

    const mem = memoryDir();
    const store = new CheckpointStore(async () => mem.dir);
    const k = 2;
    const first = harness(store, k);
    await first.h.handle({ type: 'start', files: tinyFiles(), settings: race() });
    expect(first.h.state).toBe('stopped');
    expect(lossesOf(first.sent, 0)).toHaveLength(k);
    const manifest = await store.manifest();
    expect(manifest?.runs[0][0]).toMatchObject({ label: 'AdaSAM', seed: 0, step: k, steps: N });
    expect(manifest?.runs[1][0]).toBeNull();

    const kept = (await store.files(0))!;
    const resume: ResumeFrom = {
      run: 0,
      weights: { name: 'model.safetensors', blob: kept.weights },
      state: { name: 'optimizer.safetensors', blob: kept.state },
    };
    // the kept state file carries the curves up to step k
    const stateFile = await openSafetensors(blobSource(kept.state, 'optimizer.safetensors'));
    expect(curvesOf(stateFile.metadata).steps.map((r) => r.step)).toEqual([0, 1]);
    expect(stateFile.metadata.step).toBe(String(k));

    const second = harness(store);
    await second.h.handle({ type: 'start', files: tinyFiles(), settings: race(), resume });
    expect(second.sent.filter((m) => m.type === 'error')).toEqual([]);
    const got = [
      [...lossesOf(first.sent, 0), ...lossesOf(second.sent, 0)],
      lossesOf(second.sent, 1),
    ];
    expect(got[0].map((r) => r.step)).toEqual([0, 1, 2, 3, 4]);
    for (const run of [0, 1])
      got[run].forEach((r, t) =>
        expect(close(r.loss, want[run][t].loss), `run ${run} step ${t}`).toBe(true),
      );
    // no evaluation at t = 0 again: the resumed run's dev scores continue from k
    const evals = second.sent.flatMap((m) => (m.type === 'eval' && m.run === 0 ? [m.point] : []));
    expect(evals.map((e) => e.step)).toEqual([4, 5]);

    // both runs' last checkpoints are kept; the weights file has HF names and the full vocabulary
    const end = (await store.manifest())!;
    expect(end.runs.map(([r]) => [r?.step, r?.status])).toEqual([
      [N, 'ok'],
      [N, 'ok'],
    ]);
    const weights = await openSafetensors(
      blobSource((await store.files(1))!.weights, 'model.safetensors'),
    );
    expect(weights.metadata.format).toBe('pt');
    expect(weights.tensors.get(WORD)?.shape).toEqual([50265, 32]);
    for (const name of [
      'roberta.encoder.layer.1.output.LayerNorm.weight',
      'classifier.out_proj.weight',
      'roberta.embeddings.position_embeddings.weight',
    ])
      expect(weights.tensors.has(name), name).toBe(true);
    // only the last pair of each run stays on "disk"
    expect([...mem.files.keys()].sort()).toEqual([
      'model-config.json',
      'model-tokenizer.json',
      'model-tokenizer_config.json',
      'race.json',
      `run-0-seed-0-${N}.model.safetensors`,
      `run-0-seed-0-${N}.optimizer.safetensors`,
      `run-1-seed-0-${N}.model.safetensors`,
      `run-1-seed-0-${N}.optimizer.safetensors`,
    ]);
  }, 240_000);

  it('refuses a state file of another run, naming what differs', async () => {
    const mem = memoryDir();
    const store = new CheckpointStore(async () => mem.dir);
    const first = harness(store, 1);
    await first.h.handle({ type: 'start', files: tinyFiles(), settings: race() });
    const kept = (await store.files(0))!;
    const other = harness(store);
    await other.h.handle({
      type: 'start',
      files: tinyFiles(),
      settings: race({ seed: 2 }),
      resume: {
        run: 0,
        weights: { name: 'model.safetensors', blob: kept.weights },
        state: { name: 'optimizer.safetensors', blob: kept.state },
      },
    });
    const err = other.sent.find((m) => m.type === 'error');
    expect(err?.type === 'error' && err.message).toMatch(
      /^optimizer\.safetensors: was saved by a run with another order: .*"seed":1/,
    );
    expect(lossesOf(other.sent, 0)).toEqual([]);
  }, 120_000);

  it('a diverged run stops with its last good weights, kept as its checkpoint', async () => {
    const mem = memoryDir();
    const store = new CheckpointStore(async () => mem.dir);
    const { h, sent } = harness(store);
    // γ = 1e30: the first update makes the weights huge, the next loss is not finite
    const runs = [{ label: 'SGD', config: recipe('sgd', 'paper', { lr: 1e30 }) }];
    await h.handle({ type: 'start', files: tinyFiles(), settings: race({ runs, evalEvery: 100 }) });
    const status = sent.find((m) => m.type === 'run' && m.status === 'diverged');
    expect(status?.type === 'run' && status.message).toMatch(/last good weights/);
    const taken = lossesOf(sent, 0).length;
    expect(taken).toBeLessThan(N);
    const kept = (await store.manifest())!.runs[0][0]!;
    expect(kept).toMatchObject({ status: 'diverged', step: taken });
    // the kept weights are finite: the rejected step committed nothing
    const weights = await openSafetensors(
      blobSource((await store.files(0))!.weights, 'model.safetensors'),
    );
    for (const name of weights.tensors.keys())
      expect((await weights.read(name)).every(Number.isFinite), name).toBe(true);
  }, 120_000);

  it('a second race of the same files and settings takes its token ids from the cache', async () => {
    const { h, sent } = harness(new CheckpointStore(async () => memoryDir().dir));
    const progress = () => sent.filter((m) => m.type === 'progress').map((m) => m.phase);
    const prepared = () => sent.filter((m) => m.type === 'prepared').map((m) => m.fromCache);
    const files = tinyFiles();
    await h.handle({
      type: 'start',
      files,
      settings: race({ steps: 1, runs: race().runs.slice(1) }),
    });
    expect(progress()).toContain('tokenizing');
    expect(prepared()).toEqual([false]);
    sent.length = 0;
    await h.handle({
      type: 'start',
      files,
      settings: race({ steps: 1, runs: race().runs.slice(1) }),
    });
    expect(progress()).toEqual(['tokenized (from cache)']);
    expect(prepared()).toEqual([true]);
    // another maximum length tokenizes again
    sent.length = 0;
    await h.handle({
      type: 'start',
      files,
      settings: race({ steps: 1, maxLen: 32, runs: race().runs.slice(1) }),
    });
    expect(progress()).toContain('tokenizing');
    expect(prepared()).toEqual([false]);
  }, 120_000);

  it('a new worker (a reload) takes the token ids from the store; a corrupt entry is rebuilt', async () => {
    const disk = memoryDir();
    const tokens = new TokenStore(async () => disk.dir);
    const settings = race({ steps: 1, runs: race().runs.slice(1) });
    const session = async () => {
      const kept = memoryDir().dir;
      const { h, sent } = harness(new CheckpointStore(async () => kept), undefined, tokens);
      await h.handle({ type: 'start', files: tinyFiles(), settings });
      return {
        phases: sent.filter((m) => m.type === 'progress').map((m) => m.phase),
        prepared: sent.flatMap((m) => (m.type === 'prepared' ? [m.fromCache] : [])),
        notices: sent.flatMap((m) => (m.type === 'notice' ? [m.message] : [])),
        losses: lossesOf(sent, 0).map((r) => r.loss),
      };
    };
    const first = await session();
    expect(first.phases).toContain('tokenizing');
    expect(first.prepared).toEqual([false]);
    expect(disk.files.size).toBe(1);
    // a new worker, the same files read again from "disk": no tokenizing, the same loss
    const second = await session();
    expect(second.phases).toEqual(['tokenized (from cache)']);
    expect(second.prepared).toEqual([true]);
    expect(second.losses).toEqual(first.losses);
    // an entry cut short (a disk fault): said once, tokenized again, and kept whole again
    const [name, bytes] = [...disk.files][0];
    disk.files.set(name, bytes.subarray(0, bytes.length - 4));
    const third = await session();
    expect(third.phases).toContain('tokenizing');
    expect(third.notices).toEqual([
      expect.stringMatching(/^the token ids kept in this browser .* not used \(it holds \d+ bytes/),
    ]);
    expect(third.losses).toEqual(first.losses);
    expect(disk.files.get(name)?.length).toBe(bytes.length);
  }, 120_000);

  it('keeps every seed’s checkpoints and continues a later seed’s run as the unbroken race', async () => {
    const seeds = race({ seeds: 2 });
    const straight = harness(new CheckpointStore(async () => memoryDir().dir));
    await straight.h.handle({ type: 'start', files: tinyFiles(), settings: seeds });
    const want = lossesOf(straight.sent, 1).filter((r) => r.seed === 1);
    expect(want.map((r) => r.step)).toEqual([0, 1, 2, 3, 4]);

    // stop the last run (AMSGrad on the second seed) after 2 of its steps
    const mem = memoryDir();
    const store = new CheckpointStore(async () => mem.dir);
    const first = harness(store, 3 * N + 2);
    await first.h.handle({ type: 'start', files: tinyFiles(), settings: seeds });
    const manifest = (await store.manifest())!;
    expect(manifest.runs.map((r) => r.map((e) => [e?.seed, e?.step, e?.status]))).toEqual([
      [
        [0, N, 'ok'],
        [1, N, 'ok'],
      ],
      [
        [0, N, 'ok'],
        [1, 2, 'stopped'],
      ],
    ]);
    // the model folder's files beside them: config.json with the task's head, the tokenizer
    const model = await store.modelFiles();
    expect(model.map((f) => f.name)).toEqual([
      'config.json',
      'tokenizer_config.json',
      'tokenizer.json',
    ]);
    expect(await model[0].blob.text()).toBe(
      fineTunedConfig(fixtureText('tiny/config.json'), TASKS.MRPC),
    );
    expect(await model[2].blob.text()).toBe(fixtureText('tokenizer.json'));

    const c = await fromKept(store, manifest, 1, 1);
    expect(c.resume).toMatchObject({ run: 1, seed: 1 });
    expect(c.kept.map((r) => r?.seeds)).toEqual([['ok', 'ok'], ['ok']]);
    expect(c.kept[1]!.curves.steps.map((r) => [r.seed, r.step])).toEqual([
      ...[0, 1, 2, 3, 4].map((t) => [0, t]),
      [1, 0],
      [1, 1],
    ]);
    const second = harness(store);
    await second.h.handle({ type: 'start', files: tinyFiles(), settings: seeds, resume: c.resume });
    expect(second.sent.filter((m) => m.type === 'error')).toEqual([]);
    const got = [
      ...lossesOf(first.sent, 1).filter((r) => r.seed === 1),
      ...lossesOf(second.sent, 1),
    ];
    expect(got.map((r) => [r.seed, r.step])).toEqual(want.map((r) => [1, r.step]));
    got.forEach((r, t) => expect(close(r.loss, want[t].loss), `step ${t}`).toBe(true));
    // only that run trained: the others are done
    expect(lossesOf(second.sent, 0)).toEqual([]);
  }, 240_000);
});

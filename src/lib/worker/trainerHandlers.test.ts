import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import type { BackendChoice } from '../tf/backend';
import { checkLabSettings } from '../state/labCheck';
import { TrainerHandlers } from './trainerHandlers';
import type { FromTrainer } from './trainerProtocol';
import type { LabSettings } from '../lab/types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cpu = async (): Promise<BackendChoice> => {
  await tf.setBackend('cpu');
  return { name: 'cpu', reason: 'pinned by the test', fallbacks: [] };
};

const settings = (over: Partial<LabSettings> = {}): LabSettings => ({
  task: { kind: 'modadd', p: 5, trainFraction: 0.6 },
  model: { layers: 1, dModel: 32, heads: 2, mlp: 32, dropout: 0 },
  runs: [
    { label: 'AdaSAM', config: recipe('adasam', 'torch', { lr: 1e-3 }) },
    { label: 'AMSGrad', config: recipe('amsgrad', 'torch', { lr: 1e-3 }) },
  ],
  batch: 8,
  steps: 6,
  evalEvery: 3,
  seed: 1,
  backend: 'cpu',
  ...over,
});

function harness() {
  const out: FromTrainer[] = [];
  const waiters: { pred: (m: FromTrainer) => boolean; resolve: () => void }[] = [];
  const post = (m: FromTrainer) => {
    out.push(m);
    for (const w of waiters.filter((w) => w.pred(m))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  // flushMs 0: step metrics are posted after every round
  const h = new TrainerHandlers({ post, pickBackend: cpu, flushMs: 0 });
  const of = <T extends FromTrainer['type']>(type: T) =>
    out.filter((m): m is Extract<FromTrainer, { type: T }> => m.type === type);
  /** Resolves when the worker posts a message that matches (the events tests synchronise on). */
  const posted = (pred: (m: FromTrainer) => boolean) =>
    new Promise<void>((resolve) => waiters.push({ pred, resolve }));
  return { h, out, of, posted };
}

/** A step-metrics message that reports `step` of some run. */
const reached = (step: number) => (m: FromTrainer) =>
  m.type === 'step-metrics' && m.metrics.some((x) => x.step === step);

describe('TrainerHandlers', () => {
  it('with two seeds trains every run once per seed: the first seed as alone, the second tagged', async () => {
    const one = harness();
    await one.h.handle({ type: 'init', settings: settings() });
    await one.h.handle({ type: 'start' });
    const two = harness();
    await two.h.handle({ type: 'init', settings: settings({ seeds: 2 }) });
    await two.h.handle({ type: 'start' });
    const steps = two.of('step-metrics').flatMap((m) => m.metrics);
    const first = steps.filter((m) => m.seed === undefined);
    const second = steps.filter((m) => m.seed === 1);
    expect(first.length + second.length).toBe(steps.length);
    // the first seed is the one-seed race, bit for bit (the same weights, batches and clock of steps)
    const strip = (ms: typeof steps) => ms.map(({ wallMs: _w, ...m }) => m);
    expect(strip(first)).toEqual(strip(one.of('step-metrics').flatMap((m) => m.metrics)));
    // the second: every run, every step, from other weights (seed 2), so another first loss
    expect(second.map((m) => [m.run, m.step])).toEqual(first.map((m) => [m.run, m.step]));
    expect(second[0].loss).not.toBe(first[0].loss);
    // evaluations at 0, 3 and 6 for both runs of both seeds
    const evals = two
      .of('eval-metrics')
      .map((m) => [m.metrics.seed ?? 0, m.metrics.run, m.metrics.step]);
    for (const seed of [0, 1])
      for (const run of [0, 1])
        expect(evals.filter(([s, r]) => s === seed && r === run).map(([, , t]) => t)).toEqual([
          0, 3, 6,
        ]);
    expect(two.of('status').at(-1)).toMatchObject({ state: 'done', step: 6 });
  });

  it('refuses more seeds than the row allows', async () => {
    const { h, of } = harness();
    await h.handle({ type: 'init', settings: settings({ seeds: 6 }) });
    expect(of('error')[0]).toMatchObject({ phase: 'settings' });
    expect(of('error')[0].message).toMatch(/seeds/);
  });

  it('init reports the backend and the built task, then start trains every run to the end', async () => {
    const { h, of } = harness();
    await h.handle({ type: 'init', settings: settings() });
    expect(of('backend-info')[0]).toMatchObject({ name: 'cpu' });
    const ready = of('ready')[0];
    expect(ready.task.model).toMatchObject({ vocab: 6, seqLen: 3, head: 'classify', classes: 5 });
    expect(ready.runs).toEqual(['AdaSAM', 'AMSGrad']);
    expect(ready.paramCount).toBeGreaterThan(0);
    expect(ready.params.some((p) => p.name === 'block0.attn.wqkv')).toBe(true);
    await h.handle({ type: 'start' });
    const steps = of('step-metrics').flatMap((m) => m.metrics);
    expect(steps).toHaveLength(12);
    expect(steps.filter((s) => s.run === 0).map((s) => s.gradEvals)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(
      steps.filter((s) => s.run === 1).every((s) => s.sharpness === null && s.deltaNorm === 0),
    ).toBe(true);
    expect(
      steps.filter((s) => s.run === 0).every((s) => s.sharpness !== null && s.deltaNorm > 0),
    ).toBe(true);
    expect(of('eval-metrics').map((m) => [m.metrics.run, m.metrics.step])).toEqual([
      [0, 0],
      [1, 0],
      [0, 3],
      [1, 3],
      [0, 6],
      [1, 6],
    ]);
    const eta = of('eta-stats');
    expect(eta.map((m) => m.step)).toEqual([3, 3, 6, 6]);
    expect(eta[0].heatmap?.param).toBe('block0.attn.wqkv');
    expect(eta[0].histograms.map((x) => x.group)).toEqual(['embed', 'block0', 'head']);
    expect(of('status').map((s) => s.state)).toEqual(['stopped', 'idle', 'running', 'done']);
    await h.handle({ type: 'dispose' });
  });

  it('the same settings reproduce the same curves', async () => {
    const a = harness();
    const b = harness();
    for (const x of [a, b]) {
      await x.h.handle({ type: 'init', settings: settings({ steps: 4 }) });
      await x.h.handle({ type: 'start' });
      await x.h.handle({ type: 'dispose' });
    }
    const losses = (x: ReturnType<typeof harness>) =>
      x.of('step-metrics').flatMap((m) => m.metrics.map((s) => s.loss));
    expect(losses(a)).toEqual(losses(b));
    expect(new Set(losses(a)).size).toBeGreaterThan(1);
  });

  it('pause stops after the current round and resume goes on from there', async () => {
    const { h, of, posted } = harness();
    await h.handle({ type: 'init', settings: settings({ steps: 50 }) });
    const atStep2 = posted(reached(2));
    const running = h.handle({ type: 'start' });
    await atStep2;
    // the round of step 2 is done and posted; the loop has not begun round 3
    await h.handle({ type: 'pause' });
    await running;
    expect(h.race!.step).toBe(2);
    expect(h.state).toBe('paused');
    expect(of('status').at(-1)).toEqual({ type: 'status', state: 'paused', step: 2 });
    await h.handle({ type: 'resume' });
    expect(h.race!.step).toBe(50);
    expect(of('status').at(-1)?.state).toBe('done');
    await h.handle({ type: 'dispose' });
  });

  it('a start sent while a stopped loop is still finishing its step waits for it, then trains from step 0', async () => {
    const { h, of } = harness();
    await h.handle({ type: 'init', settings: settings({ steps: 40 }) });
    // Hold the first race inside its third round until stop and start have both been sent.
    const race = h.race!;
    const round = race.round.bind(race);
    let entered!: () => void;
    const inRound3 = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    race.round = async (...args) => {
      if (race.step === 2) {
        entered();
        await released;
      }
      return round(...args);
    };
    const first = h.handle({ type: 'start' });
    await inRound3;
    await h.handle({ type: 'stop' });
    const second = h.handle({ type: 'start' });
    expect(h.state).toBe('stopped'); // the new start waits for the old loop
    release();
    await Promise.all([first, second]);
    expect(h.race!.step).toBe(40);
    expect(of('status').at(-1)?.state).toBe('done');
    const steps = of('step-metrics')
      .flatMap((m) => m.metrics)
      .filter((x) => x.run === 0)
      .map((x) => x.step);
    // the second race counts from 1 again after the first one's last step
    expect(steps.lastIndexOf(1)).toBeGreaterThan(0);
    await h.handle({ type: 'dispose' });
  });

  it('rejects settings that do not fit with a clear message before training', async () => {
    const { h, of } = harness();
    await h.handle({
      type: 'init',
      settings: settings({ model: { layers: 2, dModel: 48, heads: 5, mlp: 32, dropout: 0 } }),
    });
    expect(of('error')[0]).toMatchObject({ phase: 'settings' });
    expect(of('error')[0].message).toMatch(
      /d_model \(48\) must be a multiple of the number of heads \(5\)/,
    );
    await h.handle({
      type: 'init',
      settings: settings({
        task: { kind: 'charlm', text: 'alice', seqLen: 64, testFraction: 0.1 },
        model: { layers: 4, dModel: 128, heads: 8, mlp: 512, dropout: 0 },
        batch: 512,
      }),
    });
    // texts are not loaded in this harness: the task error comes first
    expect(of('error')[1].message).toMatch(/task: .*not loaded/);
    await h.handle({
      type: 'init',
      settings: settings({
        task: { kind: 'reverse', length: 32, alphabet: 64, trainSize: 100, testSize: 16 },
        model: { layers: 4, dModel: 128, heads: 8, mlp: 512, dropout: 0 },
        batch: 512,
      }),
    });
    expect(of('error')[2].message).toMatch(/too large for cpu.*MiB/);
    await h.handle({
      type: 'init',
      settings: settings({
        runs: [{ label: 'bad', config: recipe('adasam', 'paper', { beta1: 1 }) }],
      }),
    });
    expect(of('error')[3].message).toMatch(/bad: beta1/);
    await h.handle({ type: 'start' });
    expect(of('error')[4]).toMatchObject({
      phase: 'train',
      message: expect.stringMatching(/init first/),
    });
    expect(of('ready')).toHaveLength(0);
    expect(checkLabSettings(settings({ batch: 0, runs: [] }))).toHaveLength(2);
  });

  it('a start sent while a second init is still building trains the race of the last init', async () => {
    // the page sends init(A); a lesson link changes the settings, so init(B); A's ready makes it
    // send start before B is built
    const { h, of, posted } = harness();
    const first = h.handle({ type: 'init', settings: settings({ steps: 2 }) });
    const second = h.handle({ type: 'init', settings: settings({ steps: 4 }) });
    await posted((m) => m.type === 'ready');
    await h.handle({ type: 'start' });
    await Promise.all([first, second]);
    expect(of('error')).toEqual([]);
    expect(of('ready')).toHaveLength(2);
    expect(h.race!.runs.map((r) => r.step)).toEqual([4, 4]);
    await h.handle({ type: 'dispose' });
  });

  it('reports a diverging run and keeps training the others', async () => {
    const { h, of } = harness();
    await h.handle({
      type: 'init',
      settings: settings({
        steps: 5,
        runs: [
          { label: 'boom', config: recipe('sgd', 'paper', { lr: 1e30 }) },
          { label: 'ok', config: recipe('sgd', 'paper', { lr: 0.01 }) },
        ],
      }),
    });
    await h.handle({ type: 'start' });
    expect(of('diverged')).toHaveLength(1);
    expect(of('diverged')[0]).toMatchObject({ run: 0 });
    expect(h.race!.runs[1].step).toBe(5);
    await h.handle({ type: 'dispose' });
  });

  it('answers hessian, slice and speedup requests, and cancel', async () => {
    const { h, of } = harness();
    await h.handle({ type: 'init', settings: settings({ steps: 3 }) });
    await h.handle({ type: 'start' });
    await h.handle({ type: 'hessian', requestId: 1, run: 0, iters: 5 });
    expect(of('hessian')[0]).toMatchObject({ requestId: 1, run: 0, step: 3, iters: 5 });
    expect(Number.isFinite(of('hessian')[0].lambdaMax)).toBe(true);
    await h.handle({
      type: 'slice',
      requestId: 2,
      run: 1,
      directions: 'delta-random',
      n: 4,
      span: 1,
    });
    expect(of('slice-progress').map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(of('slice-done')[0].result).toMatchObject({ run: 1, n: 4, directions: 'delta-random' });
    expect(of('slice-done')[0].result.grid).toHaveLength(16);
    // λ_max comes with the loss at the same weights on the same fixed batch as the slice's centre
    await h.handle({ type: 'hessian', requestId: 6, run: 1, iters: 2 });
    expect(of('hessian')[1].loss).toBeCloseTo(of('slice-done')[0].result.center, 5);
    await h.handle({
      type: 'speedup',
      requestId: 3,
      config: recipe('adasam', 'torch', { lr: 1e-3 }),
      batches: [4, 8],
      steps: 3,
    });
    expect(of('speedup-done')[0].curves.map((c) => c.losses.length)).toEqual([3, 3]);
    await h.handle({ type: 'cancel', requestId: 4 });
    await h.handle({
      type: 'slice',
      requestId: 4,
      run: 0,
      directions: 'filter-normalized',
      n: 4,
      span: 1,
    });
    expect(of('slice-done')).toHaveLength(1);
    await h.handle({ type: 'hessian', requestId: 5, run: 7, iters: 5 });
    expect(of('error').at(-1)).toMatchObject({ phase: 'request', requestId: 5 });
    await h.handle({ type: 'dispose' });
  });

  it('falls back to the next backend when the current one fails during training', async () => {
    const out: FromTrainer[] = [];
    let calls = 0;
    const pick = async (): Promise<BackendChoice> => {
      calls++;
      await tf.setBackend('cpu');
      // the first pick claims to be webgl, so a failing step counts as a GPU failure
      return calls === 1
        ? { name: 'webgl', reason: 'test', fallbacks: [] }
        : { name: 'cpu', reason: 'test', fallbacks: ['webgl: failed earlier in this session'] };
    };
    const h = new TrainerHandlers({ post: (m) => out.push(m), pickBackend: pick, flushMs: 0 });
    await h.handle({ type: 'init', settings: settings({ steps: 3 }) });
    const race = h.race!;
    const original = race.round.bind(race);
    race.round = async () => {
      throw new Error('WebGL context lost');
    };
    await h.handle({ type: 'start' });
    race.round = original;
    const fb = out.find((m) => m.type === 'backend-fallback');
    expect(fb).toMatchObject({ from: 'webgl', to: 'cpu' });
    expect(h.race!.step).toBe(3);
    expect(out.filter((m) => m.type === 'status').at(-1)).toMatchObject({ state: 'done' });
    await h.handle({ type: 'dispose' });
  });
});

/**
 * What the GLUE worker reports for the page's views, in Node (wasm) on the tiny fixtures:
 * - the per-step diagnostics against independent computations: ‖δ‖ and the sharpness
 *   f(x+δ) − f(x) against the PyTorch float64 goldens, and cos(s, g) at step 0 from the
 *   library's own loss and gradients at x and x + δ taken here, separately;
 * - the diagnostics change no number of the run; η histograms per layer at the sampled steps;
 * - several seeds run seed by seed, seed k being the race of seed + k;
 * - the speed-up experiment: lr ∝ √b, T at the loss target or the cap, the training rows' loss.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { glueHarness, tinyFiles, tinyRace } from './glueTestRace';
import { FineTune } from '../tf/glue/finetune';
import { trainingLoss } from '../tf/glue/speedup';
import { disposeBatch, makeBatch } from '../tf/roberta/batch';
import { loadTiny, tinyGolden, useWasm } from '../tf/roberta/tinyModel';
import { readMap, type TensorMap } from '../tf/tensorSpace';
import type { FromGlue, GlueStep } from './glueProtocol';

const close = (got: number, want: number, abs = 1e-4) =>
  Math.abs(got - want) <= abs + 1e-3 * Math.abs(want);

const stepsOf = (sent: FromGlue[], run: number): GlueStep[] =>
  sent.flatMap((m) => (m.type === 'step' && m.run === run ? [m.record] : []));

beforeAll(useWasm);

/** f and ∇f of the golden batch (all 6 rows, no dropout) at x, read back as float32 arrays. */
async function lossAndGrad(
  tiny: Awaited<ReturnType<typeof loadTiny>>,
  x: TensorMap,
): Promise<{ loss: number; grad: Record<string, Float32Array> }> {
  const s = tiny.model.shape;
  const b = makeBatch(tiny.examples, {
    padId: s.padId,
    regression: s.regression,
    vocab: tiny.vocab,
  });
  const keys = Object.keys(x);
  const { value, grads } = tf.valueAndGrads((...leaves: tf.Tensor[]) =>
    tiny.model.loss(Object.fromEntries(keys.map((k, i) => [k, leaves[i]])), b, null),
  )(keys.map((k) => x[k]));
  const loss = (await value.data())[0];
  const grad = await readMap(Object.fromEntries(keys.map((k, i) => [k, grads[i]])));
  tf.dispose([value, ...grads]);
  disposeBatch(b);
  return { loss, grad };
}

const dot64 = (a: Record<string, Float32Array>, b: Record<string, Float32Array>): number => {
  let sum = 0;
  for (const k of Object.keys(a)) for (let i = 0; i < a[k].length; i++) sum += a[k][i] * b[k][i];
  return sum;
};

const second0 = (sent: FromGlue[]) => stepsOf(sent, 0).filter((s) => s.seed === 1)[1].wallMs;

describe('GLUE worker: the views’ data', () => {
  it('‖δ‖, cos(s, g) and the sharpness follow independent computations', async () => {
    const { h, sent } = glueHarness();
    await h.handle({ type: 'start', files: tinyFiles(), settings: tinyRace() });
    expect(sent.filter((m) => m.type === 'error')).toEqual([]);
    const golden = tinyGolden('mrpc').optimizer.runs.adasam_paper.steps;
    const adasam = stepsOf(sent, 0);
    adasam.forEach((s, t) => {
      expect(close(s.deltaNorm!, golden[t].deltaNorm), `‖δ‖ ${t}`).toBe(true);
      const want = golden[t].lossPerturbed - golden[t].loss;
      expect(close(s.sharpness!, want), `sharpness ${t}: ${s.sharpness} vs ${want}`).toBe(true);
    });
    // cos(s_0, g_0): s at x_0, δ = ρ·s/‖s‖, g at x_0 + δ, each from the library's loss, here
    const tiny = await loadTiny('mrpc');
    const at0 = await lossAndGrad(tiny, tiny.params);
    const sNorm = Math.sqrt(dot64(at0.grad, at0.grad));
    const xd = Object.fromEntries(
      Object.entries(tiny.params).map(([k, x]) => [
        k,
        tf.add(
          x,
          tf.tensor(
            at0.grad[k].map((v) => (0.05 * v) / sNorm),
            x.shape,
          ),
        ),
      ]),
    );
    const atD = await lossAndGrad(tiny, xd);
    tf.dispose([...Object.values(xd), ...Object.values(tiny.params)]);
    const cos = dot64(at0.grad, atD.grad) / (sNorm * Math.sqrt(dot64(atD.grad, atD.grad)));
    expect(close(adasam[0].cosSG!, cos, 1e-5), `cos ${adasam[0].cosSG} vs ${cos}`).toBe(true);
    expect(close(adasam[0].sharpness!, atD.loss - at0.loss)).toBe(true);
    expect(cos).toBeLessThan(0.999); // the perturbation turns the gradient: the check can fail
    // no perturbation: δ = 0, g = s, no sharpness
    for (const s of stepsOf(sent, 1)) {
      expect(s.deltaNorm).toBe(0);
      expect(s.cosSG).toBeCloseTo(1, 5);
      expect(s.sharpness).toBeNull();
    }
  }, 120_000);

  it('diagnostics change no number of the run; η per layer at the sampled steps', async () => {
    const on = glueHarness();
    await on.h.handle({ type: 'start', files: tinyFiles(), settings: tinyRace() });
    const off = glueHarness();
    await off.h.handle({
      type: 'start',
      files: tinyFiles(),
      settings: tinyRace({ diagnostics: false }),
    });
    for (const run of [0, 1]) {
      const a = stepsOf(on.sent, run);
      const b = stepsOf(off.sent, run);
      expect(b.map((s) => [s.loss, s.sNorm, s.lossPerturbed])).toEqual(
        a.map((s) => [s.loss, s.sNorm, s.lossPerturbed]),
      );
      expect(b.every((s) => s.deltaNorm === null && s.cosSG === null)).toBe(true);
    }
    expect(off.sent.some((m) => m.type === 'eta')).toBe(false);
    const prepared = on.sent.find((m) => m.type === 'prepared');
    if (prepared?.type !== 'prepared') throw new Error('no prepared message');
    const eta = on.sent.flatMap((m) => (m.type === 'eta' ? [m] : []));
    // after the first step and at the last (evaluations every 100 steps: only at the end)
    expect(eta.map((m) => `${m.run}:${m.eta.step}`)).toEqual(['0:0', '0:2', '1:0', '1:2']);
    for (const { eta: e } of eta) {
      expect(e.histograms.map((g) => g.group)).toEqual(['embed', 'layer0', 'layer1', 'head']);
      const counted = e.histograms.reduce((n, g) => n + g.counts.reduce((a, c) => a + c, 0), 0);
      expect(counted).toBe(prepared.params);
    }
    // the paper preset's floor ε: η at most √(1 − β2^k)/ε with bias correction, else 1/ε
    const c = recipe('adasam', 'paper', { lr: 1e-3, rho: 0.05 });
    const k = 3;
    const want =
      c.epsMode === 'floor' && c.biasCorrection ? Math.sqrt(1 - c.beta2 ** k) / c.eps : 1 / c.eps;
    expect(eta[1].eta.ceiling).toBeCloseTo(want, 6);
  }, 120_000);

  it('several seeds: seed by seed, one run at a time; seed k is the race of seed + k', async () => {
    const { h, sent } = glueHarness();
    const two = tinyRace({ seeds: 2, steps: 2, batch: 4, seed: 5 });
    await h.handle({ type: 'start', files: tinyFiles(), settings: two });
    const order = sent.flatMap((m) => (m.type === 'run' ? [`${m.run}/${m.seed}:${m.status}`] : []));
    expect(order).toEqual([
      '0/0:running',
      '0/0:ok',
      '1/0:running',
      '1/0:ok',
      '0/1:running',
      '0/1:ok',
      '1/1:running',
      '1/1:ok',
    ]);
    expect(stepsOf(sent, 0).map((s) => `${s.seed}:${s.step}`)).toEqual([
      '0:0',
      '0:1',
      '1:0',
      '1:1',
    ]);
    const alone = glueHarness();
    await alone.h.handle({
      type: 'start',
      files: tinyFiles(),
      settings: tinyRace({ seeds: 1, steps: 2, batch: 4, seed: 6 }),
    });
    for (const run of [0, 1]) {
      const second = stepsOf(sent, run).filter((s) => s.seed === 1);
      expect(second.map((s) => s.loss)).toEqual(stepsOf(alone.sent, run).map((s) => s.loss));
      // another seed, other batches of 4 of the 6 rows: another loss
      expect(second[1].loss).not.toBe(stepsOf(sent, run)[1].loss);
    }
    const evals = sent.flatMap((m) => (m.type === 'eval' && m.run === 0 ? [m.point] : []));
    expect(evals.map((e) => e.seed)).toEqual([0, 0, 1, 1]);
    // an evaluation of x_t carries the run's training time before x_t: the last step's time
    const seed0 = stepsOf(sent, 0).filter((s) => s.seed === 0);
    expect(evals.map((e) => e.wallMs)).toEqual([0, seed0[1].wallMs, 0, second0(sent)]);
  }, 180_000);

  it('the speed-up experiment: lr ∝ √b, T at the target, capped otherwise', async () => {
    const { h, sent } = glueHarness();
    const settings = tinyRace({ batch: 4, evalEvery: 2, speedupLoss: 100, speedupSteps: 4 });
    await h.handle({ type: 'speedup', files: tinyFiles(), settings, run: 0, batches: [2, 4] });
    expect(sent.filter((m) => m.type === 'error')).toEqual([]);
    const done = sent.find((m) => m.type === 'speedup-done');
    if (done?.type !== 'speedup-done') throw new Error('no speedup-done');
    expect(done.results.map((r) => [r.batch, r.T, r.status])).toEqual([
      [2, 2, 'reached'],
      [4, 2, 'reached'],
    ]);
    expect(done.results[0].lr).toBeCloseTo(1e-3 * Math.sqrt(2 / 4), 15);
    expect(done.results[1].lr).toBe(1e-3);
    expect(done.results[0].losses).toHaveLength(2);
    const progress = sent.flatMap((m) =>
      m.type === 'speedup-progress' ? [`${m.batch}:${m.step}`] : [],
    );
    expect(progress).toEqual(['2:1', '2:2', '4:1', '4:2']);

    const capped = glueHarness();
    await capped.h.handle({
      type: 'speedup',
      files: tinyFiles(),
      settings: { ...settings, speedupLoss: 0 },
      run: 1,
      batches: [4],
    });
    const c = capped.sent.find((m) => m.type === 'speedup-done');
    if (c?.type !== 'speedup-done') throw new Error('no speedup-done');
    expect(c.results[0]).toMatchObject({ T: null, status: 'capped' });
    expect(c.results[0].losses).toHaveLength(4);
    expect(c.results[0].checks.map((k) => k.step)).toEqual([2, 4]);
  }, 180_000);

  it('the training rows’ loss is the golden f(x_0) over the 6 rows', async () => {
    const tiny = await loadTiny('mrpc');
    const c = recipe('sgd', 'paper', { lr: 1e-3 });
    const ft = new FineTune(
      tiny.model,
      tiny.params,
      tiny.examples,
      {
        config: c,
        schedule: { kind: 'constant', warmup: 0, steps: 1 },
        batch: 6,
        microBatch: 6,
        seed: 1,
        shuffle: false,
      },
      tiny.vocab,
    );
    tf.dispose(Object.values(tiny.params));
    const want = tinyGolden('mrpc').optimizer.runs.sgd.steps[0].loss;
    // in passes of 4 and 2 rows, weighted by their rows
    expect(close(await trainingLoss(ft, tiny.examples, 4), want)).toBe(true);
    ft.dispose();
  }, 60_000);
});

/**
 * The one-pass wasm update against lib/optim's update and stepFinite on tensorSpace (the op path,
 * itself checked against the golden files), on the wasm backend: the same bits for every family
 * member under both presets, at the first step and a later one, and the same finiteness flag
 * when g² overflows or s holds a NaN.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILY_NAMES, recipe, type OptimizerConfig, type Preset } from '../optim/config';
import { stepFinite, update, type OptState } from '../optim/step';
import { TensorOptimizer } from './optimizer';
import { useWasm } from './roberta/tinyModel';
import { tensorSpace, type TensorMap } from './tensorSpace';
import { registerWasmUpdate, wasmUpdate, wasmUpdateAvailable } from './wasmUpdate';

beforeAll(async () => {
  await useWasm();
  registerWasmUpdate();
});
afterAll(() => tf.setBackend('cpu'));

const N = 257;
/** Deterministic values of mixed sign and scale (no RNG: the same inputs on every machine). */
const values = (seed: number, scale: number) =>
  Float32Array.from({ length: N }, (_, i) => scale * Math.sin(seed * 12.9898 + i * 78.233) ** 3);

interface Inputs {
  x: Float32Array;
  g: Float32Array;
  s: Float32Array;
  m: Float32Array;
  v: Float32Array;
  vHat: Float32Array;
}

function inputs(edit?: (i: Inputs) => void): Inputs {
  const v = values(4, 1e-3).map(Math.abs);
  const i: Inputs = {
    x: values(1, 2),
    g: values(2, 0.5),
    s: values(3, 0.5),
    m: values(5, 0.1),
    v,
    // v̂ ≥ v in some coordinates, below it in others, so the max takes both sides
    vHat: v.map((a, j) => (j % 3 === 0 ? a * 2 : a / 2)),
  };
  i.g[7] = 0; // a coordinate with no gradient
  edit?.(i);
  return i;
}

const bits = (a: Float32Array | Uint8Array | Int32Array) =>
  Array.from(new Uint32Array(Float32Array.from(a).buffer));

async function opPath(c: OptimizerConfig, k: number, i: Inputs) {
  const t = (a: Float32Array) => ({ w: tf.tensor1d(a) });
  const result = tf.tidy(() => {
    const state: OptState<TensorMap> = {
      k: k - 1,
      m: t(i.m),
      second: c.adaptive ? { v: t(i.v), vHat: t(i.vHat) } : null,
    };
    const g = t(i.g);
    const next = update(tensorSpace, c, t(i.x), state, g);
    const ok = stepFinite(tensorSpace, [], t(i.s), g, next);
    return [
      next.x.w,
      next.state.m.w,
      ...(next.state.second ? [next.state.second.v.w, next.state.second.vHat.w] : []),
      ...(next.eta ? [next.eta.w] : []),
      ok,
    ];
  });
  const out = await Promise.all(result.map((r) => r.data()));
  tf.dispose(result);
  return out;
}

async function onePass(c: OptimizerConfig, k: number, i: Inputs) {
  const t = tf.tensor1d;
  const ins = [t(i.x), t(i.g), t(i.s), t(i.m), t(i.v), t(i.vHat)];
  const [x, g, s, m, v, vHat] = ins;
  const out = wasmUpdate(
    c,
    k,
    { x, g, s, m, v: c.adaptive ? v : null, vHat: c.adaptive ? vHat : null },
    true,
  );
  const list = [out.x, out.m, out.v, out.vHat, out.eta, out.ok].filter(
    (r): r is tf.Tensor => r !== null,
  );
  const data = await Promise.all(list.map((r) => r.data()));
  // the inputs are untouched (the caller commits later)
  expect(bits((await x.data()) as Float32Array)).toEqual(bits(i.x));
  expect(bits((await m.data()) as Float32Array)).toEqual(bits(i.m));
  tf.dispose([...ins, ...list]);
  return data;
}

const configs = FAMILY_NAMES.flatMap((name) =>
  (['paper', 'torch'] as Preset[]).map((preset) => ({
    name: `${name}_${preset}`,
    config: recipe(name, preset, { lr: 0.01 }),
  })),
);

describe('wasm one-pass update', () => {
  it('is registered on wasm', () => {
    expect(wasmUpdateAvailable()).toBe(true);
  });

  for (const { name, config } of configs)
    it(`${name}: the op path's bits at steps 1 and 7`, async () => {
      for (const k of [1, 7]) {
        const expected = await opPath(config, k, inputs());
        const actual = await onePass(config, k, inputs());
        expect(actual.length).toBe(expected.length);
        expected.forEach((e, j) => expect(bits(actual[j] as Float32Array)).toEqual(bits(e)));
        expect(actual.at(-1)![0]).toBe(1);
      }
    });

  it('refuses a step when g² overflows or s has a NaN, as the op path does', async () => {
    const config = recipe('adasam', 'torch', { lr: 0.01 });
    const cases: ((i: Inputs) => void)[] = [
      (i) => (i.g[3] = 3e22), // ((1−β2)·g)·g = 9e41 is beyond float32: v_t = ∞
      (i) => (i.s[11] = NaN),
    ];
    for (const edit of cases) {
      const expected = await opPath(config, 2, inputs(edit));
      const actual = await onePass(config, 2, inputs(edit));
      expect(expected.at(-1)![0]).toBe(0);
      expect(actual.at(-1)![0]).toBe(0);
    }
  });

  it('refuses a non-adaptive step whose x_{t+1} overflows', async () => {
    const config = recipe('sgd', 'paper', { lr: 1e38 });
    const edit = (i: Inputs) => (i.g[5] = 1e3);
    const expected = await opPath(config, 1, inputs(edit));
    const actual = await onePass(config, 1, inputs(edit));
    expect(expected.at(-1)![0]).toBe(0);
    expect(actual.at(-1)![0]).toBe(0);
  });
});

describe('TensorOptimizer on wasm', () => {
  it('takes the one-pass update and keeps the op path’s bits over 6 steps', async () => {
    const X = tf.tensor2d(values(6, 1), [N, 1]);
    const y = tf.tensor2d(values(7, 1), [N, 1]);
    const loss = (p: TensorMap): tf.Scalar =>
      tf.losses.meanSquaredError(y, tf.add(tf.mul(tf.tanh(tf.mul(X, p.a)), p.b), p.c));
    const x0 = { a: tf.tensor1d([0.5]), b: tf.tensor1d([-0.3]), c: tf.tensor1d([0.1]) };
    const run = async (fused: boolean) => {
      const opt = new TensorOptimizer(recipe('adasam', 'torch', { lr: 0.05 }), x0, { fused });
      let kernels: string[] = [];
      for (let t = 0; t < 6; t++) {
        const profile = await tf.profile(async () => (await opt.step(loss))!.release());
        kernels = profile.kernelNames;
      }
      expect(kernels.includes('AdaSAMUpdateWasm')).toBe(fused);
      const w = await opt.getWeights();
      opt.dispose();
      return JSON.stringify(w, (_, v: unknown) => (v instanceof Float32Array ? bits(v) : v));
    };
    const before = tf.memory().numTensors;
    const onePass = await run(true);
    expect(tf.memory().numTensors).toBe(before); // nothing of the steps is left behind
    expect(onePass).toBe(await run(false));
    expect(JSON.parse(onePass).k).toBe(6);
    tf.dispose([X, y, ...Object.values(x0)]);
  });
});

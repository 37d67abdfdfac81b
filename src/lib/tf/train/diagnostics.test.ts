/**
 * stepDiagnostics on cpu and wasm (the host sums, host/diagnosticSums.ts) against an independent
 * float64 computation from the tensors' values, and against the tfjs kernels (deviceDiagnostics,
 * the path webgl and webgpu take, float32 sums); and the host path runs no kernel at all.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../math/rng';
import { useWasm } from '../roberta/tinyModel';
import type { TensorMap } from '../tensorSpace';
import { deviceDiagnostics, stepDiagnostics, type StepDiagnostics } from './diagnostics';

afterAll(() => tf.setBackend('cpu'));

const SHAPES: Record<string, number[]> = { w: [40, 30], b: [30], e: [17, 8, 3], h: [1] };

type Values = Record<string, Float32Array>;

function valuesOf(seed: number, scale: number): Values {
  const rng = makeRng(seed);
  return Object.fromEntries(
    Object.entries(SHAPES).map(([k, shape]) => [
      k,
      Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => scale * rng.normal()),
    ]),
  );
}

const tensors = (v: Values): TensorMap =>
  Object.fromEntries(Object.entries(v).map(([k, a]) => [k, tf.tensor(a, SHAPES[k])]));

/** The definitions in float64, one running sum over every coordinate in key order. */
function oracle(s: Values, delta: Values | null, g: Values): StepDiagnostics {
  let ss = 0;
  let dd = 0;
  let gg = 0;
  let sg = 0;
  for (const k of Object.keys(s))
    for (let i = 0; i < s[k].length; i++) {
      ss += s[k][i] ** 2;
      gg += g[k][i] ** 2;
      sg += s[k][i] * g[k][i];
      if (delta) dd += delta[k][i] ** 2;
    }
  const cos = ss === 0 || gg === 0 ? 0 : sg / (Math.sqrt(ss) * Math.sqrt(gg));
  return { sNorm: Math.sqrt(ss), deltaNorm: Math.sqrt(dd), cosSG: cos };
}

function expectClose(got: StepDiagnostics, want: StepDiagnostics, rel: number, what: string) {
  for (const key of ['sNorm', 'deltaNorm'] as const)
    expect(
      Math.abs(got[key] - want[key]),
      `${what} ${key}: ${got[key]} vs ${want[key]}`,
    ).toBeLessThanOrEqual(rel * want[key]);
  // a cosine near 0 has no useful relative error: it is within rel of the unit range
  expect(
    Math.abs(got.cosSG - want.cosSG),
    `${what} cos: ${got.cosSG} vs ${want.cosSG}`,
  ).toBeLessThanOrEqual(rel);
}

const s = valuesOf(1, 0.3);
// g close to s (a SAM step's second gradient): cos near 1
const g = Object.fromEntries(
  Object.entries(valuesOf(2, 0.05)).map(([k, a]) => [k, a.map((x, i) => s[k][i] + x)]),
);
const delta = Object.fromEntries(Object.entries(s).map(([k, a]) => [k, a.map((x) => x * 0.01)]));
const zero = Object.fromEntries(Object.entries(s).map(([k, a]) => [k, new Float32Array(a.length)]));

const CASES: [string, Values, Values | null, Values][] = [
  ['SAM step (s, δ, g)', s, delta, g],
  ['no perturbation (δ null)', s, null, g],
  ['unrelated s and g', valuesOf(3, 2), delta, valuesOf(4, 1e-3)],
  ['s = 0: cos 0, not NaN', zero, zero, g],
];

describe.each(['cpu', 'wasm'])('stepDiagnostics on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') await useWasm();
    else await tf.setBackend('cpu');
  });

  it.each(CASES)(
    '%s: the float64 definitions, and the tfjs kernels to float32 precision',
    async (_, sv, dv, gv) => {
      const info = { s: tensors(sv), delta: dv && tensors(dv), g: tensors(gv) };
      const host = await stepDiagnostics(info);
      const want = oracle(sv, dv, gv);
      expectClose(host, want, 1e-12, 'host');
      expectClose(await deviceDiagnostics(info), want, 2e-6, 'kernels');
      if (sv === zero) expect(host.cosSG).toBe(0);
      tf.dispose(Object.values({ ...info.s, ...info.g, ...(info.delta ?? {}) }));
    },
  );

  it('g holding s itself (ρ = 0): cos 1', async () => {
    const st = tensors(s);
    const d = await stepDiagnostics({ s: st, delta: null, g: st });
    expectClose(d, oracle(s, null, s), 1e-12, 'host');
    expect(d.cosSG).toBeCloseTo(1, 14);
    tf.dispose(Object.values(st));
  });

  it('runs no tfjs kernel and leaves no tensor', async () => {
    const info = { s: tensors(s), delta: tensors(delta), g: tensors(g) };
    const before = tf.memory().numTensors;
    let result: StepDiagnostics | undefined;
    const profile = await tf.profile(async () => {
      result = await stepDiagnostics(info);
    });
    expect(profile.kernels.map((k) => k.name)).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    expect(result!.sNorm).toBeGreaterThan(0);
    // the kernels' path, by contrast, shows up in the same profile
    const kernels = (
      await tf.profile(() => deviceDiagnostics(info) as unknown as tf.TensorContainer)
    ).kernels;
    expect(kernels.length).toBeGreaterThan(4 * Object.keys(SHAPES).length);
    tf.dispose(Object.values({ ...info.s, ...info.g, ...info.delta }));
  });
});

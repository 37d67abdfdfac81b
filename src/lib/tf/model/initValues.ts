/**
 * The lab transformer's parameter layout and seeded initial values as plain arrays (no TF.js),
 * so that the PyTorch export embeds exactly the weights the lab starts from. initParams
 * (transformer.ts) uploads these same arrays.
 */
import type { ModelSettings } from '../../lab/types';
import { makeRng, mixSeed, STREAM } from '../rng';
import type { ParamSpec } from './model';

const INIT_STD = 0.02;

/** Parameter names and shapes, in the fixed order of initParams (x is flattened in this order, spec §8.3). */
export function paramShapes(s: ModelSettings): (ParamSpec & { shape: number[] })[] {
  const D = s.dModel;
  // embedding tables: one filter per row (token or position)
  const out: (ParamSpec & { shape: number[] })[] = [
    { name: 'tokEmb', shape: [s.vocab, D], group: 'embed', filterAxis: 0 },
    { name: 'posEmb', shape: [s.seqLen, D], group: 'embed', filterAxis: 0 },
  ];
  for (let l = 0; l < s.layers; l++) {
    const b = `block${l}`;
    out.push(
      { name: `${b}.ln1.g`, shape: [D], group: b },
      { name: `${b}.ln1.b`, shape: [D], group: b },
      { name: `${b}.attn.wqkv`, shape: [D, 3 * D], group: b },
      { name: `${b}.attn.bqkv`, shape: [3 * D], group: b },
      { name: `${b}.attn.wo`, shape: [D, D], group: b },
      { name: `${b}.attn.bo`, shape: [D], group: b },
      { name: `${b}.ln2.g`, shape: [D], group: b },
      { name: `${b}.ln2.b`, shape: [D], group: b },
      { name: `${b}.mlp.w1`, shape: [D, s.mlp], group: b },
      { name: `${b}.mlp.b1`, shape: [s.mlp], group: b },
      { name: `${b}.mlp.w2`, shape: [s.mlp, D], group: b },
      { name: `${b}.mlp.b2`, shape: [D], group: b },
    );
  }
  out.push(
    { name: 'lnf.g', shape: [D], group: 'head' },
    { name: 'lnf.b', shape: [D], group: 'head' },
    { name: 'head.w', shape: [D, s.classes], group: 'head' },
    { name: 'head.b', shape: [s.classes], group: 'head' },
  );
  return out;
}

function nameHash(name: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** n entries N(0, std²) from (seed, name): each parameter has its own stream. */
export function normalValues(n: number, std: number, seed: number, name: string): Float32Array {
  const rng = makeRng(mixSeed(seed, STREAM.init, nameHash(name)));
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = std * rng.normal();
  return values;
}

/**
 * GPT-2 initialisation: weights N(0, 0.02²), the residual projections (W_o, W₂) scaled by
 * 1/√(2·layers), biases 0, LayerNorm gains 1. One array per parameter, in paramShapes order.
 */
export function initValues(
  s: ModelSettings,
  seed: number,
): { name: string; shape: number[]; values: Float32Array }[] {
  const residualStd = INIT_STD / Math.sqrt(2 * s.layers);
  return paramShapes(s).map(({ name, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const leaf = name.slice(name.lastIndexOf('.') + 1);
    let values: Float32Array;
    if (leaf === 'g') values = new Float32Array(n).fill(1);
    else if (shape.length === 1) values = new Float32Array(n);
    else
      values = normalValues(
        n,
        name.endsWith('wo') || name.endsWith('w2') ? residualStd : INIT_STD,
        seed,
        name,
      );
    return { name, shape, values };
  });
}

/**
 * orderStats against the definition it replaces: sort a copy ascending (typed-array sort: NaN
 * last) and take the first, the middle (index ⌊n/2⌋) and the last element.
 */
import { describe, expect, it } from 'vitest';
import { orderStats } from './orderStats';
import { makeRng } from './rng';

function bySort(a: Float32Array) {
  const s = Float32Array.from(a).sort();
  return { min: s[0], median: s[s.length >> 1], max: s[s.length - 1] };
}

const rng = makeRng(7);
const random = (n: number, f: () => number) => Float32Array.from({ length: n }, f);

const cases: [string, Float32Array][] = [
  ['one value', Float32Array.of(3)],
  ['two values', Float32Array.of(5, -1)],
  ['odd length, normal', random(1001, () => rng.normal())],
  ['even length, normal', random(1000, () => rng.normal())],
  ['few distinct values', random(777, () => rng.int(4))],
  ['all equal', new Float32Array(64).fill(-2.5)],
  ['ascending', Float32Array.from({ length: 500 }, (_, i) => i)],
  ['descending', Float32Array.from({ length: 501 }, (_, i) => -i)],
  ['organ pipe', Float32Array.from({ length: 600 }, (_, i) => Math.min(i, 599 - i))],
  ['±∞', random(301, () => [-Infinity, Infinity, rng.normal()][rng.int(3)])],
  ['a few NaN', random(401, () => (rng.int(50) === 0 ? NaN : rng.normal()))],
  ['NaN past the middle', random(99, () => (rng.int(3) === 0 ? rng.normal() : NaN))],
  ['only NaN', new Float32Array(9).fill(NaN)],
  ['log10 η-like', random(20000, () => Math.log10(1 / (Math.sqrt(rng.uniform() * 1e-6) + 1e-8)))],
];

describe('orderStats', () => {
  it.each(cases)('%s: min, median and max as sorting gives them', (_, a) => {
    expect(orderStats(Float32Array.from(a))).toEqual(bySort(a));
  });

  it.each([0, 1, 3])('with %d partitions before sorting the rest: the same values', (rounds) => {
    for (const [name, a] of cases)
      expect(orderStats(Float32Array.from(a), rounds), name).toEqual(bySort(a));
  });

  it('an empty array: NaN', () => {
    expect(orderStats(new Float32Array(0))).toEqual({ min: NaN, median: NaN, max: NaN });
  });

  it('many random arrays of every small length', () => {
    for (let n = 1; n < 40; n++)
      for (let r = 0; r < 20; r++) {
        const a = random(n, () => rng.int(6) - 2);
        expect(orderStats(Float32Array.from(a)), `n=${n} [${a}]`).toEqual(bySort(a));
      }
  });
});

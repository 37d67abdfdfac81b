/** The regression (spec §8.2) and MLP (§8.3) gradients against central finite differences. */
import { describe, expect, it } from 'vitest';
import { loadGolden } from '../testing/golden';
import { mlpValueAndGrad } from './mlp';
import { regressionValueAndGrad } from './regression';

describe.each([
  ['regression.json', regressionValueAndGrad],
  ['mlp.json', mlpValueAndGrad],
] as const)('%s', (file, vg) => {
  const g = loadGolden(file);
  it('analytic gradient = central differences at several points and batches', () => {
    const h = 1e-6;
    for (let k = 0; k < 5; k++) {
      const theta = g.x0.map((x: number, i: number) => x + 0.3 * Math.sin(7 * k + i));
      const batch: number[] = g.batches[k];
      const { grad } = vg(g.data, batch, theta);
      theta.forEach((_: number, i: number) => {
        const up = [...theta];
        const down = [...theta];
        up[i] += h;
        down[i] -= h;
        const fd = (vg(g.data, batch, up).loss - vg(g.data, batch, down).loss) / (2 * h);
        expect(Math.abs(grad[i] - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
      });
    }
  });
  it('the loss is the mean squared error over the batch (no ½)', () => {
    const theta = g.x0;
    const one = (i: number) => vg(g.data, [i], theta).loss;
    const batch: number[] = g.batches[0];
    const mean = batch.reduce((s, i) => s + one(i), 0) / batch.length;
    expect(vg(g.data, batch, theta).loss).toBeCloseTo(mean, 14);
  });
});

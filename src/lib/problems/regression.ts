import type { Vec } from '../math/vec';

/** A dataset with one row of features per sample. */
export interface Dataset {
  X: number[][];
  y: number[];
}

/**
 * Spec §8.2: θ = [w₁, w₂, w₃, c], pred_i = w·X_i + c, L_B = (1/|B|) Σ (pred_i − y_i)² (no ½).
 * ∇_w = (2/|B|) Σ r_i X_i,  ∇_c = (2/|B|) Σ r_i.
 */
export function regressionValueAndGrad(
  data: Dataset,
  batch: readonly number[],
  theta: Vec,
): { loss: number; grad: Vec } {
  const d = theta.length - 1;
  const grad: Vec = new Array<number>(theta.length).fill(0);
  let loss = 0;
  for (const i of batch) {
    const xi = data.X[i];
    let pred = theta[d];
    for (let j = 0; j < d; j++) pred += theta[j] * xi[j];
    const r = pred - data.y[i];
    loss += r * r;
    for (let j = 0; j < d; j++) grad[j] += r * xi[j];
    grad[d] += r;
  }
  const b = batch.length;
  for (let j = 0; j <= d; j++) grad[j] *= 2 / b;
  return { loss: loss / b, grad };
}

import type { Vec } from '../math/vec';
import type { Dataset } from './regression';

/**
 * Spec §8.3: θ ∈ R¹³ = [K1 (2×3 row-major, K1[i][j] = θ[3i+j]), b1 (3), K2 (3×1), b2 (1)],
 * h = tanh(X K1 + b1), pred = h K2 + b2, L_B = mean over B of (pred − y)². Backprop by hand.
 */
export const MLP_SIZES = { inputs: 2, hidden: 3 } as const;

export function mlpValueAndGrad(
  data: Dataset,
  batch: readonly number[],
  theta: Vec,
): { loss: number; grad: Vec } {
  const { inputs: I, hidden: H } = MLP_SIZES;
  const oB1 = I * H;
  const oK2 = oB1 + H;
  const oB2 = oK2 + H;
  const grad: Vec = new Array<number>(theta.length).fill(0);
  const h = new Float64Array(H);
  let loss = 0;
  const b = batch.length;
  for (const n of batch) {
    const xn = data.X[n];
    let pred = theta[oB2];
    for (let j = 0; j < H; j++) {
      let a = theta[oB1 + j];
      for (let i = 0; i < I; i++) a += xn[i] * theta[H * i + j];
      h[j] = Math.tanh(a);
      pred += h[j] * theta[oK2 + j];
    }
    const r = pred - data.y[n];
    loss += r * r;
    const dPred = (2 / b) * r; // ∂L/∂pred
    grad[oB2] += dPred;
    for (let j = 0; j < H; j++) {
      grad[oK2 + j] += dPred * h[j];
      const dA = dPred * theta[oK2 + j] * (1 - h[j] * h[j]); // tanh' = 1 − tanh²
      grad[oB1 + j] += dA;
      for (let i = 0; i < I; i++) grad[H * i + j] += dA * xn[i];
    }
  }
  return { loss: loss / b, grad };
}

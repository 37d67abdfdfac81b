/**
 * The scalars the diagnostics panels draw for one step, from the step's own intermediates (no
 * extra gradient pass): ‖s_t‖, ‖δ_t‖ and cos(s_t, g_t), with s_t = ∇f_B(x_t) and g_t the gradient
 * the update uses (at x_t + δ_t; g_t = s_t when ρ = 0). One readback for the three.
 */
import * as tf from '@tensorflow/tfjs';
import { dot } from '../maps';
import type { TensorMap } from '../tensorSpace';

export interface StepDiagnostics {
  sNorm: number;
  /** 0 when the step has no perturbation */
  deltaNorm: number;
  cosSG: number;
}

export async function stepDiagnostics(info: {
  s: TensorMap;
  delta: TensorMap | null;
  g: TensorMap;
}): Promise<StepDiagnostics> {
  const packed = tf.tidy(() => {
    const ss = dot(info.s, info.s);
    const gg = dot(info.g, info.g);
    const dd = info.delta ? dot(info.delta, info.delta) : tf.scalar(0);
    return tf.stack([
      tf.sqrt(ss),
      tf.sqrt(dd),
      tf.div(dot(info.s, info.g), tf.maximum(tf.sqrt(tf.mul(ss, gg)), 1e-30)),
    ]);
  });
  const [sNorm, deltaNorm, cosSG] = await packed.data();
  packed.dispose();
  return { sNorm, deltaNorm, cosSG };
}

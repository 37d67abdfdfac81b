/**
 * The scalars the diagnostics panels draw for one step, from the step's own intermediates (no
 * extra gradient pass): ‖s_t‖, ‖δ_t‖ and cos(s_t, g_t), with s_t = ∇f_B(x_t) and g_t the gradient
 * the update uses (at x_t + δ_t; g_t = s_t when ρ = 0). On cpu and wasm the sums are loops over
 * the tensors' own arrays in float64 (host/diagnosticSums.ts: no kernel, no readback); on
 * webgl and webgpu they are tfjs kernels on the device, with one readback for the three.
 */
import * as tf from '@tensorflow/tfjs';
import { diagnosticSums } from '../host/diagnosticSums';
import { hostArrays } from '../host/hostArrays';
import { dot } from '../maps';
import type { TensorMap } from '../tensorSpace';

export interface StepDiagnostics {
  sNorm: number;
  /** 0 when the step has no perturbation */
  deltaNorm: number;
  cosSG: number;
}

interface StepTensors {
  s: TensorMap;
  delta: TensorMap | null;
  g: TensorMap;
}

/** cos = ⟨s, g⟩ / max(‖s‖‖g‖, 1e-30): 0 rather than NaN when s or g is zero. */
const MIN_NORMS = 1e-30;

export async function stepDiagnostics(info: StepTensors): Promise<StepDiagnostics> {
  const host = hostArrays();
  if (!host) return deviceDiagnostics(info);
  const { ss, dd, gg, sg } = diagnosticSums(host, info);
  const sNorm = Math.sqrt(ss);
  return {
    sNorm,
    deltaNorm: Math.sqrt(dd),
    cosSG: sg / Math.max(sNorm * Math.sqrt(gg), MIN_NORMS),
  };
}

/** The same scalars as tfjs kernels (float32 on the device), read back together. */
export async function deviceDiagnostics(info: StepTensors): Promise<StepDiagnostics> {
  const packed = tf.tidy(() => {
    const ss = dot(info.s, info.s);
    const gg = dot(info.g, info.g);
    const dd = info.delta ? dot(info.delta, info.delta) : tf.scalar(0);
    return tf.stack([
      tf.sqrt(ss),
      tf.sqrt(dd),
      tf.div(dot(info.s, info.g), tf.maximum(tf.sqrt(tf.mul(ss, gg)), MIN_NORMS)),
    ]);
  });
  const [sNorm, deltaNorm, cosSG] = await packed.data();
  packed.dispose();
  return { sNorm, deltaNorm, cosSG };
}

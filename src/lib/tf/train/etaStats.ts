/**
 * η statistics of one step (spec §2's η_t, per coordinate): per-layer-group histograms of
 * log10 η with shared edges, and one matrix's log10 η average-pooled for the heatmap.
 */
import type { EtaHeatmap, EtaHistogram } from '../../lab/types';
import { orderStats } from '../../math/orderStats';
import { hostArrays } from '../host/hostArrays';
import type { TensorMap } from '../tensorSpace';

const HEATMAP_MAX = 64;

/** log10 η this close to log10 of the ceiling counts as at the ceiling (float32 η, 1/ε up to 1e10). */
const AT_CEILING_LOG10 = 1e-4;

/**
 * log10 η per layer group as histograms with shared edges (bins equal-width over the global
 * log10 range), and the named matrix's log10 η average-pooled to at most 64×64. With `ceiling`
 * (the step's largest possible η, optim/precondition's etaCeiling), each group also counts the
 * coordinates that sit at it.
 */
export async function etaStatistics(
  eta: TensorMap,
  groups: Record<string, string>,
  heatmapParam: string | null,
  bins = 40,
  ceiling: number | null = null,
): Promise<{ histograms: EtaHistogram[]; heatmap: EtaHeatmap | null }> {
  const top = ceiling !== null && ceiling > 0 ? Math.log10(ceiling) : NaN;
  const logs: Record<string, Float32Array> = {};
  let lo = Infinity;
  let hi = -Infinity;
  const host = hostArrays();
  for (const name of Object.keys(eta)) {
    // cpu and wasm: a view of the tensor's own values, no copy (a wasm view holds until the next
    // allocation on its heap, and nothing is allocated there while this one is read)
    const values = host ? host.read(eta[name]) : ((await eta[name].data()) as Float32Array);
    const l = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      l[i] = Math.log10(values[i]);
      if (l[i] < lo) lo = l[i];
      if (l[i] > hi) hi = l[i];
    }
    logs[name] = l;
  }
  if (!(hi > lo)) hi = lo + 1; // all η equal (e.g. the first steps): one non-empty bin
  const edges = Float32Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const byGroup = new Map<string, Float32Array[]>();
  for (const name of Object.keys(logs)) {
    const g = groups[name] ?? 'other';
    byGroup.set(g, [...(byGroup.get(g) ?? []), logs[name]]);
  }
  const histograms: EtaHistogram[] = [];
  for (const [group, arrays] of byGroup) {
    const counts = new Uint32Array(bins);
    let atCeiling = 0;
    const all = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let off = 0;
    for (const a of arrays) {
      all.set(a, off);
      off += a.length;
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        counts[Math.min(bins - 1, Math.max(0, Math.floor(((x - lo) / (hi - lo)) * bins)))]++;
        if (Math.abs(x - top) <= AT_CEILING_LOG10) atCeiling++;
      }
    }
    histograms.push({ group, edges, counts, ...orderStats(all), atCeiling });
  }
  let heatmap: EtaHeatmap | null = null;
  const m = heatmapParam ? logs[heatmapParam] : undefined;
  if (heatmapParam && m) {
    const shape = eta[heatmapParam].shape;
    const rows = shape.length === 2 ? shape[0] : 1;
    const cols = shape.length === 2 ? shape[1] : m.length;
    const gr = Math.min(rows, HEATMAP_MAX);
    const gc = Math.min(cols, HEATMAP_MAX);
    const sum = new Float64Array(gr * gc);
    const cnt = new Uint32Array(gr * gc);
    for (let r = 0; r < rows; r++) {
      const R = Math.floor((r * gr) / rows);
      for (let c = 0; c < cols; c++) {
        const k = R * gc + Math.floor((c * gc) / cols);
        sum[k] += m[r * cols + c];
        cnt[k]++;
      }
    }
    heatmap = {
      param: heatmapParam,
      shape: [rows, cols],
      gridShape: [gr, gc],
      log10Eta: Float32Array.from(sum, (s, k) => s / cnt[k]),
    };
  }
  return { histograms, heatmap };
}

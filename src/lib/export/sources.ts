/**
 * The Python sources the exported scripts are assembled from (src/lib/export/python/*.py). They
 * are passed in, so this folder stays free of bundler-specific imports: the page reads them with
 * Vite's `?raw` (browserSources.ts), Node reads the files (nodeSources.ts).
 */
export interface PythonSources {
  /** the AdaSAM optimizer class (also exported alone as adasam.py) */
  adasam: string;
  /** ports of math/detmath.ts and math/rng.ts */
  detmath: string;
  /** the 2-D landscapes, their stochastic mode and the race `trace` prints */
  explainer: string;
  /** the lab transformer, its batches and dropout masks, DDP training */
  lab: string;
}

export const SOURCE_FILES: Record<keyof PythonSources, string> = {
  adasam: 'adasam.py',
  detmath: 'detmath.py',
  explainer: 'explainer.py',
  lab: 'lab.py',
};

/**
 * The transformer benchmark inside a browser page (served by Vite's dev server for
 * scripts/benchBrowser.ts, never part of the app's build): `?backend=webgpu&steps=5&warmup=1`.
 */
import { benchTransformer } from './benchTransformer';
import type { BackendPreference } from '../src/lib/lab/types';

const q = new URLSearchParams(location.search);
const out = document.getElementById('out')!;
benchTransformer({
  backend: (q.get('backend') ?? 'cpu') as BackendPreference,
  steps: Number(q.get('steps') ?? 5),
  warmup: Number(q.get('warmup') ?? 1),
}).then(
  (result) => {
    out.textContent = JSON.stringify(result);
    (window as unknown as { __bench: unknown }).__bench = result;
  },
  (error: unknown) => {
    out.textContent = String(error);
    (window as unknown as { __bench: unknown }).__bench = { error: String(error) };
  },
);

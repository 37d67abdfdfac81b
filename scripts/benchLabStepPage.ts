/**
 * scripts/benchLabStep.ts inside a browser page on WASM as the lab starts it (served by Vite's
 * dev server for scripts/benchBrowser.ts's benchLabStepBrowser, never part of the app's build):
 * `?steps=10&warmup=3`. The work starts after the load event; the runner polls `__benchResult`.
 */
import { benchLabStep, type LabStepBench } from './benchLabStep';

const q = new URLSearchParams(location.search);
const out = document.getElementById('out')!;
const page = window as unknown as { __benchResult?: LabStepBench | { error: string } };

function start() {
  void benchLabStep({
    backend: 'wasm',
    steps: Number(q.get('steps') ?? 10),
    warmup: Number(q.get('warmup') ?? 3),
  })
    .catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }))
    .then((result) => {
      out.textContent = JSON.stringify(result);
      page.__benchResult = result;
    });
}

if (document.readyState === 'complete') setTimeout(start, 0);
else window.addEventListener('load', () => setTimeout(start, 0), { once: true });

/**
 * The transformer benchmark inside a browser page (served by Vite's dev server for
 * scripts/benchBrowser.ts, never part of the app's build): `?backend=webgpu&steps=5&warmup=1`,
 * and `&threads=2` for WASM with that many threads instead of the lab's choice (wasmThreads).
 * The work starts after the page's load event, so page.goto never waits for it; the runner polls
 * `__benchResult`. (Started from the page itself, a reload by the dev server starts it again.)
 */
import { transformerFigure } from './benchTransformer';
import type { TransformerFigure } from './benchReport';

const q = new URLSearchParams(location.search);
const out = document.getElementById('out')!;
const page = window as unknown as { __benchResult?: TransformerFigure };

function start() {
  const backend = (q.get('backend') ?? 'cpu') as 'cpu' | 'wasm' | 'webgl' | 'webgpu';
  out.textContent = `running ${backend}…`;
  void transformerFigure(backend, {
    steps: Number(q.get('steps') ?? 5),
    warmup: Number(q.get('warmup') ?? 1),
    pick: q.has('threads') ? { wasmThreads: Number(q.get('threads')) } : undefined,
  }).then((figure) => {
    out.textContent = JSON.stringify(figure);
    page.__benchResult = figure;
  });
}

if (document.readyState === 'complete') setTimeout(start, 0);
else window.addEventListener('load', () => setTimeout(start, 0), { once: true });

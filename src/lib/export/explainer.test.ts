/**
 * 2-D explainer links exported to PyTorch print what `trace` prints for the same link: the same
 * keys in the same order and every number within 1e-12 relative (bit for bit is the aim: the
 * script ports detmath's exp/log and keeps the TypeScript's operation order). Links cover every
 * landscape, both presets, ASAM, weight decay, noise on and off, β2 = 1 and a diverging run.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANDSCAPE_IDS } from '../landscapes';
import { decodeLink } from '../state/url';
import { traceScene, traceText } from '../trace/trace';
import { readPythonSources } from './nodeSources';
import { runPython, runScripts, tempFile } from './pythonRunner';
import { exportTorch } from './script';

const LINKS = [
  '#v=1',
  '#v=1&land=quadratic&r0=adasam&r0.preset=torch&r0.lr=0.1&r1=asam&r1.lr=0.05&r2=samm&r2.wd=0.1&sigma=0.5&b=4&seed=7',
  '#v=1&land=rosenbrock&r0=adam&r0.lr=0.02&r1=samAdam&r1.lr=0.01&r1.wd=0.05&r2=sgdm&r2.lr=0.001&T=300',
  '#v=1&land=himmelblau&sigma=1.5&b=8&seed=3&r0=adasam&r0.lr=0.05&r0.pert=asam&r0.rho=0.5&r1=amsgrad&r1.preset=torch&r1.lr=0.1',
  '#v=1&land=saddle&T=500&r0=sgd&r0.lr=0.1&r1=adasam&r1.lr=0.02&r1.b2=1&r1.eps=1',
  '#v=1&land=ravine&r0=adasam&r0.lr=0.05&r0.epsMode=add&r0.ams=false&r1=sam&r1.lr=0.09&r1.xi=0&sigma=0.3&b=64',
  '#v=1&land=bumpyBowl&r0=adasam&r0.lr=0.05&r0.rho=0.15&r1=sgd&r1.lr=0.05&sigma=0.2&T=400',
  'http://127.0.0.1:5173/#v=1&land=wells&x0=0.2,-0.4&r0=adasam&r0.preset=torch&r0.lr=0.05&r0.rho=0.25&r0.wd=0.01&r1=asam&r1.asamEta=0&sigma=2&b=1&seed=2147483647',
  '#v=1&land=quadratic&r0=adasam&r0.lr=0.1&r0.b2=1&r0.eps=0.00000001&r1=sgd&r1.lr=0.3&T=60',
];

/** First place where two JSON values differ: keys, order, or a number beyond 1e-12 relative. */
function difference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof b === 'number' || b === null) {
    if (typeof a !== typeof b && !(a === null || b === null))
      return `${path}: ${String(a)} vs ${String(b)}`;
    if (a === b) return null;
    if (typeof a !== 'number' || typeof b !== 'number')
      return `${path}: ${String(a)} vs ${String(b)}`;
    return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))
      ? null
      : `${path}: ${a} vs ${b}`;
  }
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) return `${path}: length differs`;
    for (let i = 0; i < b.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} vs ${kb.join()}`;
    for (const k of kb) {
      const d = difference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${String(a)} vs ${String(b)}`;
}

const sources = readPythonSources();
const runner = fileURLToPath(new URL('../../../tests/python/run_scripts.py', import.meta.url));
let scripts: string[] = [];
let outputs: string[] = [];
let stderr = '';

beforeAll(async () => {
  const texts = await Promise.all(LINKS.map((l) => exportTorch(l, { sources })));
  scripts = texts.map((r, i) => {
    if (!r.ok) throw new Error(`${LINKS[i]}: ${r.message}`);
    return tempFile(r.filename, r.text);
  });
  const run = await runScripts(
    scripts.map((script) => ({ script })),
    runner,
  );
  outputs = run.outputs;
  stderr = run.result.stderr;
}, 180_000);

describe('2-D explainer export', () => {
  it('covers every landscape, noise on and off, and a diverging run', () => {
    const scenes = LINKS.map((l) => decodeLink(l).link.scene);
    expect(new Set(scenes.map((s) => s.problem))).toEqual(new Set(LANDSCAPE_IDS));
    const statuses = LINKS.flatMap((l) => {
      const { link } = decodeLink(l);
      return traceScene(link.scene, link.runs).map((t) => t.status);
    });
    expect(statuses).toContain('diverged');
    expect(scenes.some((s) => s.sigma > 0) && scenes.some((s) => s.sigma === 0)).toBe(true);
  });

  it.each(LINKS.map((link, i) => ({ link, i })))(
    'prints what trace prints: $link',
    ({ link, i }) => {
      expect(stderr).toBe('');
      const { link: decoded } = decodeLink(link);
      const expected = traceText(traceScene(decoded.scene, decoded.runs));
      expect(difference(JSON.parse(outputs[i]), JSON.parse(expected))).toBeNull();
    },
  );

  it('runs as a program of its own, and only rank 0 prints', async () => {
    const [alone, rank1] = await Promise.all([
      runPython([scripts[1]]),
      runPython([scripts[1]], { RANK: '1', WORLD_SIZE: '2' }),
    ]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toBe(outputs[1]);
    expect(rank1.code).toBe(0);
    expect(rank1.stdout).toBe('');
  });
});

/**
 * Transformer-lab links exported to PyTorch: the script's training losses equal the lab's own
 * training code (Race on the TF.js cpu backend, same link) at float32 tolerance, with dropout,
 * the classify and the lm head, SAM, ASAM and AdaSAM.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeLink, toLabSettings } from '../state/url';
import { traceLab } from '../tf/traceLab';
import { readPythonSources } from './nodeSources';
import { runScripts, tempFile } from './pythonRunner';
import { exportTorch } from './script';

const STEPS = 4;
const LINKS = [
  // classify head (modular addition), the lab's default race, dropout on
  '#v=1&page=lab&lab.p=7&lab.d=32&lab.h=2&lab.mlp=16&lab.L=1&lab.b=8&lab.drop=0.1&lab.steps=50',
  // lm head (reversal, positions without loss), two blocks, ASAM and the torch preset
  '#v=1&page=lab&lab.task=reverse&lab.len=4&lab.A=5&lab.ntr=64&lab.nte=16&lab.d=32&lab.h=4&lab.mlp=16&lab.L=2&lab.b=6&lab.drop=0.2&lab.seed=5' +
    '&lab.r0=adasam&lab.r0.preset=torch&lab.r0.lr=0.01&lab.r1=asam&lab.r1.lr=0.1&lab.r2=samAdam&lab.r2.lr=0.003&lab.r2.wd=0.01',
  // char-level LM on the bundled text
  '#v=1&page=lab&lab.task=charlm&lab.ctx=8&lab.d=32&lab.h=2&lab.mlp=16&lab.L=1&lab.b=4&lab.r0=adasam&lab.r0.lr=0.001',
];
const texts = {
  alice: readFileSync(new URL('../../../static/texts/alice.txt', import.meta.url), 'utf8'),
};

/** The lab's own race for `link` on the cpu backend (trace's lab mode): the training loss of each step per run. */
async function labLosses(link: string): Promise<{ label: string; losses: number[] }[]> {
  const settings = toLabSettings(decodeLink(link).link.lab!);
  return (await traceLab({ ...settings, steps: STEPS }, texts)).runs;
}

let python: { runs: { label: string; losses: number[] }[] }[] = [];
let stderr = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  const sources = readPythonSources();
  const scripts = await Promise.all(
    LINKS.map(async (l) => {
      const r = await exportTorch(l, { sources, texts });
      if (!r.ok) throw new Error(r.message);
      return tempFile(r.filename, r.text);
    }),
  );
  const run = await runScripts(
    scripts.map((script) => ({ script, argv: ['--steps', String(STEPS), '--cpu'] })),
    fileURLToPath(new URL('../../../tests/python/run_scripts.py', import.meta.url)),
  );
  stderr = run.result.stderr;
  python = run.outputs.map((o) => JSON.parse(o) as (typeof python)[number]);
}, 180_000);

describe('transformer-lab export', () => {
  it.each(LINKS.map((link, i) => ({ link, i })))(
    'its losses equal the lab’s (TF.js cpu) at float32 tolerance: $link',
    async ({ link, i }) => {
      expect(stderr).toBe('');
      const lab = await labLosses(link);
      expect(python[i].runs.map((r) => r.label)).toEqual(lab.map((r) => r.label));
      python[i].runs.forEach((run, k) => {
        expect(run.losses).toHaveLength(STEPS);
        run.losses.forEach((loss, t) => {
          const b = lab[k].losses[t];
          expect(Math.abs(loss - b), `${run.label} step ${t}: ${loss} vs ${b}`).toBeLessThanOrEqual(
            1e-5 + 1e-5 * Math.abs(b),
          );
        });
      });
    },
  );
});

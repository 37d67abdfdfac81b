/**
 * A transformer-lab link runs headlessly: `trace '<lab link>'` prints each run's per-step
 * training loss (decisions.md "Links and defaults"), pinned for one small link on the cpu backend
 * (tests/fixtures/pins/lab-v1.json, generated from the code at link version 1, unchanged since;
 * lab-v2.json for a version-2 link, which means version 1's lab defaults; lab-v3.json for version
 * 3's defaults; `npm run pins`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeLink, toLabSettings } from '../state/url';
import { LAB_LINK, LAB_LINK_V2, LAB_LINK_V3, loadPins } from '../testing/pins';
import { traceLab, type LabTraceJson } from './traceLab';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pins = loadPins<{ link: string; output: LabTraceJson }>('lab-v1.json');
const pinsV2 = loadPins<{ link: string; output: LabTraceJson }>('lab-v2.json');
const pinsV3 = loadPins<{ link: string; output: LabTraceJson }>('lab-v3.json');

describe('trace for a lab link', () => {
  it('trains the link’s race and gives the pinned losses, bit for bit', async () => {
    expect(pins.link).toBe(LAB_LINK);
    const settings = toLabSettings(decodeLink(LAB_LINK).link.lab!);
    const out = await traceLab(settings);
    expect(out).toEqual(pins.output);
    // independent sanity: both runs start from the same x₀, batch and dropout mask, so their
    // first loss is the same, near ln 5 (an untrained 5-way classifier)
    const [a, b] = out.runs;
    expect(a.losses).toHaveLength(settings.steps);
    expect(b.losses[0]).toBe(a.losses[0]);
    expect(Math.abs(a.losses[0] - Math.log(5))).toBeLessThan(0.1);
  });

  it('a version-2 link: version 1’s lab race, one seed, gives the pinned losses, bit for bit', async () => {
    expect(pinsV2.link).toBe(LAB_LINK_V2);
    const settings = toLabSettings(decodeLink(LAB_LINK_V2).link.lab!);
    // the same link at version 1 is the same race
    expect(settings).toEqual(
      toLabSettings(decodeLink(LAB_LINK_V2.replace('v=2', 'v=1')).link.lab!),
    );
    const out = await traceLab(settings);
    expect(out).toEqual(pinsV2.output);
    // independent of the pin: version 1's four runs, one seed (no seed field), two steps, from
    // the same weights and batch, near ln 23 (an untrained 23-way classifier)
    expect(out.runs.map((r) => [r.label, r.seed])).toEqual(
      ['AdaSAM', 'AMSGrad', 'SAM', 'SGD'].map((l) => [l, undefined]),
    );
    for (const r of out.runs) {
      expect(r.losses).toHaveLength(2);
      expect(Math.abs(r.losses[0] - Math.log(23))).toBeLessThan(0.15);
    }
    expect(new Set(out.runs.map((r) => r.losses[0])).size).toBe(1);
  });

  it('a version-3 link: its defaults’ race over three seeds gives the pinned losses, bit for bit', async () => {
    expect(pinsV3.link).toBe(LAB_LINK_V3);
    const out = await traceLab(toLabSettings(decodeLink(LAB_LINK_V3).link.lab!));
    expect(out).toEqual(pinsV3.output);
    // independent of the pin: four runs × seeds 1, 2, 3 (seeds = 3, seed = 1), four steps each,
    // every run of a seed starting from the same weights and batch, near ln 13 (13 classes)
    expect(out.runs.map((r) => [r.label, r.seed])).toEqual(
      [1, 2, 3].flatMap((seed) => ['AdaSAM', 'AMSGrad', 'SAM', 'SGD'].map((l) => [l, seed])),
    );
    for (const r of out.runs) {
      expect(r.losses).toHaveLength(4);
      expect(Math.abs(r.losses[0] - Math.log(13))).toBeLessThan(0.15);
    }
    expect(new Set(out.runs.slice(0, 4).map((r) => r.losses[0])).size).toBe(1);
  });

  it('with two seeds: the first seed’s losses are the one-seed trace, the second another run', async () => {
    const settings = toLabSettings(decodeLink(LAB_LINK).link.lab!);
    const out = await traceLab({ ...settings, seeds: 2 });
    expect(out.runs.map((r) => [r.label, r.seed])).toEqual([
      ['AdaSAM', 1],
      ['SGD', 1],
      ['AdaSAM', 2],
      ['SGD', 2],
    ]);
    expect(out.runs.slice(0, 2).map((r) => r.losses)).toEqual(
      pins.output.runs.map((r) => r.losses),
    );
    // seed 2 starts from other weights: another first loss, still near ln 5
    expect(out.runs[2].losses[0]).not.toBe(out.runs[0].losses[0]);
    expect(Math.abs(out.runs[2].losses[0] - Math.log(5))).toBeLessThan(0.1);
    expect(out.runs[3].losses[0]).toBe(out.runs[2].losses[0]);
  });

  it('the command prints {"runs":[{"label","losses"}]} for the link, and names a bad setting', () => {
    const trace = (link: string) =>
      spawnSync(ROOT + 'node_modules/.bin/tsx', ['scripts/trace.ts', link], {
        cwd: ROOT,
        encoding: 'utf8',
      });
    const ok = trace(LAB_LINK);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual(pins.output);
    const bad = trace('#v=1&page=lab&lab.d=40&lab.h=3&lab.steps=2');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/d_model \(40\) must be a multiple of the number of heads \(3\)/);
  });
});

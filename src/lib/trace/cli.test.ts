/**
 * The `trace` command: argument parsing (pure) and the real script end to end (child process).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { LANDSCAPE_IDS } from '../landscapes';
import { RACE_FAMILIES, RECOMMENDED } from '../landscapes/recommended';
import { OPTIMIZER_SETTINGS } from '../state/schema';
import { decodeLink, encodeLink, runSpec } from '../state/url';
import { DEFAULT_LINK } from '../state/defaults';
import { helpText, parseTraceArgs } from './cli';
import { traceScene } from './trace';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = ROOT + 'node_modules/.bin/tsx';
const trace = (args: string[]) =>
  spawnSync(TSX, ['scripts/trace.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('parseTraceArgs', () => {
  it('reads every optimizer option in both --name value and --name=value forms', () => {
    const r = parseTraceArgs([
      '--problem',
      'quadratic',
      '--x0=-1.2,0.5',
      '--steps',
      '7',
      '--lr=0.1',
      '--rho',
      '0',
      '--beta1',
      '0.5',
      '--beta2=0.99',
      '--eps',
      '1e-6',
      '--epsMode',
      'add',
      '--biasCorrection',
      'true',
      '--adaptive=true',
      '--amsgrad',
      'false',
      '--perturbation',
      'asam',
      '--perturbEps',
      '0',
      '--asamEta',
      '0.1',
      '--weightDecay',
      '0.01',
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok || r.request.kind !== 'options') throw new Error('expected options');
    expect(r.request.scene).toMatchObject({ problem: 'quadratic', x0: [-1.2, 0.5], steps: 7 });
    expect(r.request.run.config).toEqual({
      lr: 0.1,
      rho: 0,
      beta1: 0.5,
      beta2: 0.99,
      eps: 1e-6,
      epsMode: 'add',
      biasCorrection: true,
      adaptive: true,
      amsgrad: false,
      perturbation: 'asam',
      perturbEps: 0,
      asamEta: 0.1,
      weightDecay: 0.01,
    });
  });

  it('--preset is a shorthand that explicit options override; --optimizer starts from a family member', () => {
    const torch = parseTraceArgs(['--preset', 'torch', '--epsMode', 'floor']);
    if (!torch.ok || torch.request.kind !== 'options') throw new Error('expected options');
    expect(torch.request.run.config).toMatchObject({ biasCorrection: true, epsMode: 'floor' });
    const sgd = parseTraceArgs(['--optimizer', 'sgdm', '--lr', '0.2']);
    if (!sgd.ok || sgd.request.kind !== 'options') throw new Error('expected options');
    expect(sgd.request.run.config).toEqual(recipe('sgdm', 'paper', { lr: 0.2 }));
    expect(sgd.request.run.family).toBe('sgdm');
  });

  it.each([
    [['--problem', 'moon'], /--problem must be one of wells, quadratic, rosenbrock/],
    [['--lr', 'fast'], /--lr must be a number in \(0, 100\]; got "fast"/],
    [['--beta1', '1'], /--beta1 must be a number in \[0, 1\)/],
    [
      ['--preset', 'torch', '--beta2', '1'],
      /--beta2: beta2 must be in \[0, 1\) with biasCorrection/,
    ],
    [['--eps', '0'], /--eps must be/],
    [['--perturbation', 'gsam'], /--perturbation must be one of sam, asam/],
    [['--steps', '2.5'], /--steps must be an integer/],
    [['--x0', '1'], /--x0 must be two numbers/],
    [['--frobnicate', '1'], /unknown option --frobnicate; valid options: .*--lr/],
    [['--lr'], /--lr needs a value/],
    [['--lr', '1', '--lr', '2'], /more than once/],
    [['#r0=sgd', '--lr', '1'], /only --backend may be given/],
    [['stray'], /unexpected argument "stray"/],
  ])('rejects %j', (args, message) => {
    const r = parseTraceArgs(args as string[]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('without a link, a landscape brings its recommended settings, as a version-2 link does', () => {
    const options = (args: string[]) => {
      const r = parseTraceArgs(args);
      if (!r.ok || r.request.kind !== 'options') throw new Error('expected options');
      return r.request;
    };
    // Rosenbrock's recommendation (recommended.ts, README "Share links"): SGD-type γ 0.0015,
    // adaptive γ 0.05, ρ 0.01, 1000 steps from (−1.2, 1)
    const ada = options(['--problem', 'rosenbrock']);
    expect(ada.scene).toMatchObject({ steps: 1000, x0: [-1.2, 1] });
    expect(ada.run.family).toBe('adasam');
    expect(ada.run.config).toMatchObject({ lr: 0.05, rho: 0.01, adaptive: true });
    expect(options(['--problem', 'rosenbrock', '--optimizer', 'sgd']).run.config).toMatchObject({
      lr: 0.0015,
      rho: 0,
    });
    expect(options(['--problem', 'rosenbrock', '--optimizer', 'sam']).run.config).toMatchObject({
      lr: 0.0015,
      rho: 0.01,
    });
    // an explicit option still wins
    expect(options(['--problem', 'rosenbrock', '--lr', '0.2', '--steps', '9'])).toMatchObject({
      scene: { steps: 9 },
      run: { config: { lr: 0.2, rho: 0.01 } },
    });
    // every landscape: the run equals that family's run of the page's version-2 link
    for (const id of LANDSCAPE_IDS) {
      const r = RECOMMENDED[id];
      for (const family of RACE_FAMILIES) {
        const req = options(['--problem', id, '--optimizer', family]);
        const page = decodeLink(`#v=2&land=${id}`).link;
        expect(req.scene, id).toEqual(page.scene);
        expect(req.scene).toMatchObject({ steps: r.steps, x0: r.x0 });
        expect(req.run.config, `${id} ${family}`).toEqual(
          page.runs.find((x) => x.family === family)!.config,
        );
        expect(req.run.config.lr).toBe(req.run.config.adaptive ? r.lrAdaptive : r.lrPlain);
      }
    }
  });

  it('help lists every optimizer option with its range', () => {
    for (const row of OPTIMIZER_SETTINGS) expect(helpText()).toContain(`--${row.name}`);
  });
});

describe('scripts/trace.ts', () => {
  it('prints one object whose trace is the float64 core’s, with the golden files’ index conventions', () => {
    const r = trace(['--problem', 'wells', '--steps', '20', '--lr', '0.05', '--rho', '0.25']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual([
      'problem',
      'optimizer',
      'x0',
      'steps',
      'config',
      'status',
      'trace',
      'testView',
    ]);
    expect(out.trace.x).toHaveLength(21);
    expect(out.trace.loss).toHaveLength(21);
    for (const k of ['delta', 'm', 'vhat', 'eta']) expect(out.trace[k]).toHaveLength(20);
    expect(out.testView).toEqual({
      shift: expect.any(Array),
      train: out.trace.loss[20],
      test: expect.any(Number),
    });
    const [expected] = traceScene(
      { ...DEFAULT_LINK.scene, problem: 'wells', x0: [-0.5, 0.3], steps: 20 },
      [runSpec('adasam', 'paper', { lr: 0.05, rho: 0.25 })],
    );
    // the start the page shows on wells (its recommended one), not the spec's (−0.45, 0.3)
    expect(out.x0).toEqual([-0.5, 0.3]);
    expect(out).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('omits vhat and eta for a non-adaptive run, and reports a diverged run', () => {
    const sgd = JSON.parse(trace(['--optimizer', 'sgd', '--steps', '3']).stdout);
    expect(sgd.trace.vhat).toBeUndefined();
    expect(sgd.trace.eta).toBeUndefined();
    const boom = JSON.parse(
      trace([
        '--problem',
        'quadratic',
        '--beta2',
        '1',
        '--eps',
        '1e-8',
        '--lr',
        '0.1',
        '--steps',
        '50',
      ]).stdout,
    );
    expect(boom.status).toBe('diverged');
    expect(boom.trace.x.length).toBeLessThan(51);
    expect(boom.trace.x.flat().every(Number.isFinite)).toBe(true);
  });

  it('a share link gives one object per run, the same as the page computes', () => {
    const link = {
      ...DEFAULT_LINK,
      scene: { ...DEFAULT_LINK.scene, steps: 15, x0: [0.1, -0.2] as [number, number] },
    };
    const r = trace([`http://localhost:5173/#${encodeLink(link)}`]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual(
      JSON.parse(JSON.stringify(traceScene(link.scene, decodeLink(encodeLink(link)).link.runs))),
    );
    expect(out.map((o: { optimizer: string }) => o.optimizer)).toEqual(
      DEFAULT_LINK.runs.map((x) => x.family),
    );
  });

  it('bad input: exit status 2, one line on stderr naming the option, nothing on stdout', () => {
    for (const args of [
      ['--problem', 'moon'],
      ['--rho', '-1'],
      ['--lr', 'x'],
    ]) {
      const r = trace(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`--${args[0].slice(2)}`);
    }
  });

  it('the tfjs backend agrees with the float64 core at float32 tolerance', () => {
    const args = ['--problem', 'rosenbrock', '--steps', '30', '--lr', '0.05', '--preset', 'torch'];
    const f64 = JSON.parse(
      execFileSync(TSX, ['scripts/trace.ts', ...args], { cwd: ROOT, encoding: 'utf8' }),
    );
    const f32 = JSON.parse(
      execFileSync(TSX, ['scripts/trace.ts', ...args, '--backend', 'tfjs'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    expect(f32.trace.x).toHaveLength(31);
    f32.trace.x.forEach((x: number[], t: number) =>
      x.forEach((xi, i) =>
        expect(Math.abs(xi - f64.trace.x[t][i])).toBeLessThanOrEqual(
          1e-4 + 1e-3 * Math.abs(f64.trace.x[t][i]),
        ),
      ),
    );
  });
});

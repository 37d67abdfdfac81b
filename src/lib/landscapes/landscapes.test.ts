/**
 * Every registered landscape (list-driven: registering one in index.ts adds it here):
 * analytic gradients against central finite differences, declared minima against Newton's
 * method on the gradient, and declared sharp/flat against the Hessian's largest eigenvalue.
 * Then one check per new surface of the property its blurb teaches.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { runVec } from '../optim/run';
import type { Vec } from '../math/vec';
import { LANDSCAPES, LANDSCAPE_IDS, getLandscape, type Landscape } from './index';
import { bumpyBowl } from './bumpyBowl';
import { classifyEnd } from './basin';
import { himmelblau } from './himmelblau';
import { RAVINE, ravine } from './ravine';
import { saddle } from './saddle';
import { makeObjective } from './stochastic';

/** Central difference of f: error O(h²·f''') + O(ε_mach·|f|/h). */
function fdGrad(l: Landscape, x: Vec, h = 1e-5): Vec {
  return [0, 1].map((k) => {
    const p = [...x],
      q = [...x];
    p[k] += h;
    q[k] -= h;
    return (l.f(p) - l.f(q)) / (2 * h);
  });
}

/** Central difference of the analytic gradient, symmetrised. */
function hessian(l: Landscape, x: Vec, h = 1e-5): [[number, number], [number, number]] {
  const gxp = l.grad([x[0] + h, x[1]]),
    gxm = l.grad([x[0] - h, x[1]]);
  const gyp = l.grad([x[0], x[1] + h]),
    gym = l.grad([x[0], x[1] - h]);
  const hxx = (gxp[0] - gxm[0]) / (2 * h),
    hyy = (gyp[1] - gym[1]) / (2 * h);
  const hxy = ((gxp[1] - gxm[1]) / (2 * h) + (gyp[0] - gym[0]) / (2 * h)) / 2;
  return [
    [hxx, hxy],
    [hxy, hyy],
  ];
}

/** Eigenvalues of a symmetric 2×2 matrix, smallest first. */
function eigenvalues([[a, b], [, d]]: [[number, number], [number, number]]): [number, number] {
  const mid = (a + d) / 2,
    r = Math.hypot((a - d) / 2, b);
  return [mid - r, mid + r];
}

/** Newton's method on ∇f = 0 from x: the stationary point the declared minimum stands for. */
function newton(l: Landscape, x: Vec): Vec {
  let p = [...x];
  for (let it = 0; it < 50; it++) {
    const g = l.grad(p);
    const [[a, b], [, d]] = hessian(l, p);
    const det = a * d - b * b;
    p = [p[0] - (d * g[0] - b * g[1]) / det, p[1] - (a * g[1] - b * g[0]) / det];
  }
  return p;
}

const grid = (l: Landscape, n: number): Vec[] => {
  const [[x0, x1], [y0, y1]] = l.domain;
  const pts: Vec[] = [];
  // interior points, offset so none lands exactly on a symmetry line
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      pts.push([x0 + ((i + 0.37) * (x1 - x0)) / n, y0 + ((j + 0.61) * (y1 - y0)) / n]);
  return pts;
};

describe('the registry', () => {
  it('keeps the spec problems first, wells leading, and adds at least four more', () => {
    expect(LANDSCAPE_IDS.slice(0, 3)).toEqual(['wells', 'quadratic', 'rosenbrock']);
    expect(LANDSCAPES.length).toBeGreaterThanOrEqual(7);
    expect(new Set(LANDSCAPE_IDS).size).toBe(LANDSCAPE_IDS.length);
    for (const id of ['himmelblau', 'saddle', 'ravine', 'bumpyBowl'])
      expect(getLandscape(id)?.id).toBe(id);
  });
});

describe.each(LANDSCAPES.map((l) => ({ id: l.id, l })))('$id', ({ l }) => {
  const [[x0, x1], [y0, y1]] = l.domain;
  const inDomain = (p: ArrayLike<number>) => p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1;

  it('declares a title, a one-line blurb, a start and minima inside its domain', () => {
    expect(l.title.length).toBeGreaterThan(0);
    expect(l.blurb.length).toBeGreaterThan(20);
    expect(l.blurb).not.toContain('\n');
    expect(x0 < x1 && y0 < y1).toBe(true);
    expect(inDomain(l.x0)).toBe(true);
    expect(l.minima.length).toBeGreaterThan(0);
    for (const m of l.minima) {
      expect(inDomain(m.x)).toBe(true);
      expect(['sharp', 'flat']).toContain(m.kind);
    }
  });

  it('has an analytic gradient equal to central finite differences on a 12×12 grid', () => {
    for (const p of grid(l, 12)) {
      const g = l.grad(p),
        fd = fdGrad(l, p);
      for (let k = 0; k < 2; k++)
        expect(Math.abs(g[k] - fd[k]), `at (${p}) coordinate ${k}`).toBeLessThanOrEqual(
          1e-6 * (1 + Math.abs(g[k])),
        );
    }
  });

  it('has a finite value and gradient everywhere in its domain', () => {
    for (const p of grid(l, 40))
      expect(Number.isFinite(l.f(p)) && l.grad(p).every(Number.isFinite)).toBe(true);
  });

  it('does not mutate its argument and returns a fresh gradient', () => {
    const p = [...l.x0];
    const g1 = l.grad(p);
    l.f(p);
    expect(p).toEqual([...l.x0]);
    expect(l.grad(p)).not.toBe(g1);
  });

  it.each(l.minima.map((m, k) => ({ k, m, label: m.label ?? String(k) })))(
    'minimum $label is a strict local minimum where declared',
    ({ m }) => {
      const star = newton(l, m.x);
      const g = l.grad(star);
      expect(Math.hypot(g[0], g[1])).toBeLessThan(1e-9);
      expect(Math.hypot(star[0] - m.x[0], star[1] - m.x[1])).toBeLessThanOrEqual(1e-6);
      // positive definite Hessian …
      expect(eigenvalues(hessian(l, star))[0]).toBeGreaterThan(0);
      // … and every point on a small ring around it is higher
      const r = 1e-3 * Math.min(x1 - x0, y1 - y0);
      for (let a = 0; a < 16; a++) {
        const q = [
          star[0] + r * Math.cos((a * Math.PI) / 8),
          star[1] + r * Math.sin((a * Math.PI) / 8),
        ];
        expect(l.f(q)).toBeGreaterThan(l.f(star));
      }
    },
  );
});

// Only landscapes with their own fused valueAndGrad: the fallback is f and grad themselves.
const withValueAndGrad = LANDSCAPES.filter((l) => l.valueAndGrad);

describe.each(withValueAndGrad)('$id', (l) => {
  it('its own valueAndGrad gives exactly f and grad', () => {
    for (const p of grid(l, 12)) {
      const both = l.valueAndGrad!(p);
      expect(both.loss).toBe(l.f(p));
      expect(both.grad).toEqual(l.grad(p));
    }
  });
});

it('at least wells computes f and ∇f together (the race’s hot path)', () => {
  expect(withValueAndGrad.map((l) => l.id)).toContain('wells');
});

const withBothKinds = LANDSCAPES.filter((l) => new Set(l.minima.map((m) => m.kind)).size === 2);

describe.each(withBothKinds)('$id', (l) => {
  it('marks as sharp exactly the minima with the larger Hessian eigenvalue', () => {
    const lambdaMax = (x: Vec) => eigenvalues(hessian(l, newton(l, x)))[1];
    const sharp = l.minima.filter((m) => m.kind === 'sharp').map((m) => lambdaMax(m.x));
    const flat = l.minima.filter((m) => m.kind === 'flat').map((m) => lambdaMax(m.x));
    expect(Math.min(...sharp)).toBeGreaterThan(Math.max(...flat));
  });
});

describe('what each new surface teaches', () => {
  it('himmelblau: four minima at f = 0, each reached from some start', () => {
    for (const m of himmelblau.minima) expect(Math.abs(himmelblau.f(m.x))).toBeLessThan(1e-20);
    const reached = new Set<number>();
    for (const x0 of [
      [2, 1],
      [-2, 2],
      [-2, -2],
      [2, -1],
    ]) {
      const run = runVec(
        recipe('sgd', 'paper', { lr: 0.02 }),
        x0,
        300,
        makeObjective(himmelblau, null),
      );
      reached.add(classifyEnd(himmelblau, run.xs[run.xs.length - 1]));
    }
    expect([...reached].sort()).toEqual([0, 1, 2, 3]);
  });

  it('saddle: the origin is a saddle, f is bounded below, and a start on the ridge walks into the saddle', () => {
    const [lo, hi] = eigenvalues(hessian(saddle, [0, 0]));
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
    // ½x² − ½y² + ¼y⁴ ≥ −¼ everywhere (min over y of −½y² + ¼y⁴ is −¼ at y² = 1)
    for (const p of grid(saddle, 60)) expect(saddle.f(p)).toBeGreaterThanOrEqual(-0.25);
    const onRidge = runVec(
      recipe('sgd', 'paper', { lr: 0.05 }),
      [-1.8, 0],
      300,
      makeObjective(saddle, null),
    );
    const end = onRidge.xs[onRidge.xs.length - 1];
    expect(Math.hypot(end[0], end[1])).toBeLessThan(1e-3);
    // just off the ridge, AMSGrad's per-coordinate step escapes to a minimum within the same budget
    const ams = runVec(
      recipe('amsgrad', 'paper', { lr: 0.05 }),
      saddle.x0,
      300,
      makeObjective(saddle, null),
    );
    expect(classifyEnd(saddle, ams.xs[ams.xs.length - 1])).not.toBe(-1);
  });

  it('ravine: the Hessian has condition number 100 along the coordinate axes', () => {
    const H = hessian(ravine, [0.3, -0.2]);
    expect(H[0][1]).toBeCloseTo(0, 10);
    const [lo, hi] = eigenvalues(H);
    expect(hi / lo).toBeCloseTo(RAVINE.across / RAVINE.along, 6);
    expect(hi / lo).toBeCloseTo(100, 6);
  });

  it('bumpyBowl: the dips of the inner ring are deeper than the broad bottom but far sharper', () => {
    const bottom = bumpyBowl.minima.find((m) => m.kind === 'flat')!;
    const inner = bumpyBowl.minima.filter(
      (m) => m.kind === 'sharp' && Math.hypot(m.x[0], m.x[1]) < 1,
    );
    expect(inner.length).toBe(4);
    for (const d of inner) {
      expect(bumpyBowl.f(d.x)).toBeLessThan(bumpyBowl.f(bottom.x));
      expect(eigenvalues(hessian(bumpyBowl, d.x))[1]).toBeGreaterThan(
        20 * eigenvalues(hessian(bumpyBowl, bottom.x))[1],
      );
    }
    expect(bumpyBowl.minima.length).toBe(25);
  });

  it('bumpyBowl: from its default start SGD and AMSGrad end in a dip, AdaSAM at the broad bottom', () => {
    const end = (family: 'sgd' | 'amsgrad' | 'adasam', rho = 0) => {
      const run = runVec(
        recipe(family, 'paper', { lr: 0.05, ...(rho ? { rho } : {}) }),
        bumpyBowl.x0,
        200,
        makeObjective(bumpyBowl, null),
      );
      const k = classifyEnd(bumpyBowl, run.xs[run.xs.length - 1]);
      return k < 0 ? 'none' : bumpyBowl.minima[k].kind;
    };
    expect(end('sgd')).toBe('sharp');
    expect(end('amsgrad')).toBe('sharp');
    expect(end('adasam', 0.15)).toBe('flat');
  });
});

import { exp } from '../math/detmath';
import type { Landscape, Minimum } from './types';

/**
 * Bowl curvature a, dip depth A, dip width s, lattice spacing h and reach K (dips at
 * (i·h, j·h) for i, j ∈ {−K … K}, all but the centre).
 */
export const BUMPY = { a: 0.5, depth: 0.3, s: 0.1, h: 0.8, K: 2 } as const;

/**
 * A broad bowl covered with narrow Gaussian dips on a lattice, none at its centre:
 *   f = ½a‖x‖² − A·Σ_{(i,j)≠(0,0)} e_i(x)·e_j(y),   e_i(u) = exp(−(u − ih)²/(2s²))
 * The dips are separable, so the double sum is (Σ_i e_i(x))(Σ_j e_j(y)) − e_0(x)e_0(y):
 * 2(2K+1) exponentials per call instead of (2K+1)².
 *   ∂f/∂x = a·x + (A/s²)·[(Σ_i (x − ih)e_i(x))·(Σ_j e_j(y)) − x·e_0(x)e_0(y)]   (and ∂f/∂y alike)
 * Each dip has curvature ≈ A/s² = 30 (sharp) and is deeper than the bowl's bottom at the
 * inner ring; the bottom (0, 0) has curvature a = 0.5 (flat). With γ = 0.05 over 200 steps, SGD
 * ends in a dip from most of the domain, AMSGrad from about half of it, and AdaSAM (ρ = 0.15)
 * reaches the bottom from almost all of it. Plain SAM with a small γ often stalls a distance ρ
 * short of a dip, where x + δ lands on the dip's minimum and the perturbed gradient vanishes.
 */
const { a: A_BOWL, depth: DEPTH, s: S, h: H, K } = BUMPY;
const INV_2S2 = 1 / (2 * S * S);
const DEPTH_S2 = DEPTH / (S * S);

export const bumpyBowl: Landscape = {
  id: 'bumpyBowl',
  title: 'Bumpy bowl',
  blurb:
    'A broad bowl pitted with narrow sharp dips: plain descent drops into the nearest dip, while AdaSAM steps over them to the broad bottom.',
  f: (x) => {
    let ex = 0,
      ey = 0;
    for (let i = -K; i <= K; i++) {
      const dx = x[0] - i * H,
        dy = x[1] - i * H;
      ex += exp(-dx * dx * INV_2S2);
      ey += exp(-dy * dy * INV_2S2);
    }
    const e0 = exp(-(x[0] * x[0] + x[1] * x[1]) * INV_2S2);
    return 0.5 * A_BOWL * (x[0] * x[0] + x[1] * x[1]) - DEPTH * (ex * ey - e0);
  },
  grad: (x) => {
    // ex = Σ e_i(x), px = Σ (x − ih)·e_i(x), and the same in y
    let ex = 0,
      ey = 0,
      px = 0,
      py = 0;
    for (let i = -K; i <= K; i++) {
      const dx = x[0] - i * H,
        dy = x[1] - i * H;
      const gx = exp(-dx * dx * INV_2S2),
        gy = exp(-dy * dy * INV_2S2);
      ex += gx;
      ey += gy;
      px += dx * gx;
      py += dy * gy;
    }
    const e0 = exp(-(x[0] * x[0] + x[1] * x[1]) * INV_2S2);
    return [
      A_BOWL * x[0] + DEPTH_S2 * (px * ey - x[0] * e0),
      A_BOWL * x[1] + DEPTH_S2 * (py * ex - x[1] * e0),
    ];
  },
  domain: [
    [-2, 2],
    [-2, 2],
  ],
  x0: [-1.6, -0.3],
  minima: [],
};

/** Newton's method on ∇f with a central-difference Hessian: the exact minimum near a dip's centre. */
function refine(p: [number, number]): [number, number] {
  let [x, y] = p;
  const d = 1e-6;
  for (let it = 0; it < 40; it++) {
    const [gx, gy] = bumpyBowl.grad([x, y]);
    const gxp = bumpyBowl.grad([x + d, y]),
      gxm = bumpyBowl.grad([x - d, y]);
    const gyp = bumpyBowl.grad([x, y + d]),
      gym = bumpyBowl.grad([x, y - d]);
    const hxx = (gxp[0] - gxm[0]) / (2 * d),
      hxy = (gyp[0] - gym[0]) / (2 * d),
      hyy = (gyp[1] - gym[1]) / (2 * d);
    const det = hxx * hyy - hxy * hxy;
    x -= (hyy * gx - hxy * gy) / det;
    y -= (hxx * gy - hxy * gx) / det;
  }
  return [x, y];
}

const dips: Minimum[] = [];
for (let j = -K; j <= K; j++) {
  for (let i = -K; i <= K; i++) {
    if (i !== 0 || j !== 0)
      dips.push({ x: refine([i * H, j * H]), kind: 'sharp', label: `dip (${i}, ${j})` });
  }
}
bumpyBowl.minima.push({ x: [0, 0], kind: 'flat', label: 'broad bottom' }, ...dips);

/**
 * The right-hand side of the paper's Theorem 3.6 (spec theory.md), term by term:
 *
 *   (1/T) Σ_{t<T} E‖∇f(x_t)‖²  ≤  2G(f(x₀) − f*)/(γT)  +  (8GγL/ε)·(σ²/(bε))  +  Φ
 *
 *   Φ = 45·G·L²·ρ²/ε
 *     + 2G³/((1 − β1)·T) · d·(1/ε − 1/G)
 *     + (8GγL/ε)·(L·ρ²/ε)
 *     + 2·(4 + (β1/(1 − β1))²)·γ·L·G³/T · d·(ε⁻² − G⁻²)
 *     + 6·γ²·L²·β1²/(1 − β1)² · d·G³/ε³
 *
 * valid when γ ≤ ε/(16L) (and G ≥ ε, Assumption 3.4: G below ε is raised to ε here).
 */

export interface BoundInputs {
  /** G, bound on ‖∇f_i‖∞ */
  G: number;
  /** L, smoothness */
  L: number;
  /** σ², variance of one sample's gradient */
  sigma2: number;
  /** b, minibatch size */
  batch: number;
  /** f(x₀) − f* */
  gap: number;
  /** γ */
  lr: number;
  /** ε, the floor of √v̂ */
  eps: number;
  /** ρ */
  rho: number;
  beta1: number;
  /** T, iterations */
  steps: number;
  /** d, number of parameters */
  dim: number;
}

export interface BoundTerm {
  id: 'descent' | 'noise' | 'phiRho' | 'phiInit' | 'phiRhoNoise' | 'phiMomentum' | 'phiDrift';
  /** the expression, in plain text */
  formula: string;
  /** what the term charges for, in plain words */
  meaning: string;
  value: number;
  /** false for the terms that do not shrink as T grows with γ and ρ fixed */
  vanishesWithT: boolean;
}

export interface Theorem36 {
  terms: BoundTerm[];
  /** the sum of the terms: the bound on (1/T) Σ E‖∇f(x_t)‖² */
  total: number;
  /** ε/(16L): the largest γ the theorem allows */
  lrMax: number;
  /** γ ≤ ε/(16L) */
  conditionHolds: boolean;
  /** the G the terms used, max(G, ε) */
  G: number;
}

/** Each term of Theorem 3.6's bound for the inputs. */
export function theorem36(p: BoundInputs): Theorem36 {
  const { L, sigma2, batch: b, gap, lr: γ, eps: ε, rho: ρ, beta1: β1, steps: T, dim: d } = p;
  const G = Math.max(p.G, ε);
  const noiseFactor = (8 * G * γ * L) / ε;
  const terms: BoundTerm[] = [
    {
      id: 'descent',
      formula: '2G(f(x₀) − f*)/(γT)',
      meaning: 'the distance to the lowest value, covered in T steps of size γ',
      value: (2 * G * gap) / (γ * T),
      vanishesWithT: true,
    },
    {
      id: 'noise',
      formula: '(8GγL/ε)·σ²/(bε)',
      meaning: 'minibatch noise: shrinks with the batch size b and the step size γ',
      value: noiseFactor * (sigma2 / (b * ε)),
      vanishesWithT: false,
    },
    {
      id: 'phiRho',
      formula: '45GL²ρ²/ε',
      meaning: 'the perturbation: SAM evaluates the gradient ρ away from x_t',
      value: (45 * G * L * L * ρ * ρ) / ε,
      vanishesWithT: false,
    },
    {
      id: 'phiInit',
      formula: '2G³/((1 − β1)T)·d(1/ε − 1/G)',
      meaning: 'the adaptive step sizes η_t settling between 1/G and 1/ε',
      value: ((2 * G ** 3) / ((1 - β1) * T)) * d * (1 / ε - 1 / G),
      vanishesWithT: true,
    },
    {
      id: 'phiRhoNoise',
      formula: '(8GγL/ε)·Lρ²/ε',
      meaning: 'the perturbation again, through the step size',
      value: noiseFactor * ((L * ρ * ρ) / ε),
      vanishesWithT: false,
    },
    {
      id: 'phiMomentum',
      formula: '2(4 + (β1/(1 − β1))²)·γLG³/T·d(ε⁻² − G⁻²)',
      meaning: 'momentum: m_t lags the current gradient',
      value: ((2 * (4 + (β1 / (1 - β1)) ** 2) * γ * L * G ** 3) / T) * d * (ε ** -2 - G ** -2),
      vanishesWithT: true,
    },
    {
      id: 'phiDrift',
      formula: '6γ²L²β1²/(1 − β1)²·dG³/ε³',
      meaning: 'momentum: the iterate drifts while m_t catches up',
      value: ((6 * γ * γ * L * L * β1 * β1) / (1 - β1) ** 2) * ((d * G ** 3) / ε ** 3),
      vanishesWithT: false,
    },
  ];
  const lrMax = ε / (16 * L);
  return {
    terms,
    total: terms.reduce((sum, t) => sum + t.value, 0),
    lrMax,
    conditionHolds: γ <= lrMax,
    G,
  };
}

/**
 * The built-in equations a lesson step may show, by id (decisions.md "Teaching and
 * accessibility": a lesson names equations from this set and never carries its own markup).
 * Each has its TeX, rendered by KaTeX from this file only, and the same in words for screen
 * readers and for the lesson editor's menu.
 */
export const EQUATIONS = {
  'sam-objective': {
    tex: String.raw`\min_x \; \max_{\|\delta\| \le \rho} f(x + \delta)`,
    words: 'SAM: minimise the worst loss within distance rho of x',
  },
  gradient: {
    tex: String.raw`s_t = \nabla f(x_t)`,
    words: 'the gradient s t at the current point',
  },
  perturbation: {
    tex: String.raw`\delta_t = \rho \, \frac{s_t}{\|s_t\|}`,
    words: 'delta t: a step of length rho uphill, along the gradient',
  },
  'perturbed-gradient': {
    tex: String.raw`g_t = \nabla f(x_t + \delta_t)`,
    words: 'g t: the gradient at the perturbed point',
  },
  moments: {
    tex: String.raw`m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2`,
    words: 'm t and v t: running averages of g and of g squared',
  },
  eta: {
    tex: String.raw`\hat v_t = \max(\hat v_{t-1}, v_t), \quad \eta_t = 1/\sqrt{\hat v_t}`,
    words: 'eta t: one over the square root of the largest v seen so far, per coordinate',
  },
  update: {
    tex: String.raw`x_{t+1} = x_t - \gamma \, m_t \odot \eta_t`,
    words: 'the AdaSAM update: x moves by gamma times m times eta',
  },
  'test-view': {
    tex: String.raw`f_{\text{test}}(x) = f(x - u)`,
    words: 'the test view: the same landscape moved by u',
  },
  minibatch: {
    tex: String.raw`\nabla f_B(x) = \frac{1}{b} \sum_{i \in B} \nabla f_i(x), \quad \operatorname{Var} \approx \frac{\sigma^2}{b}`,
    words:
      'a minibatch gradient averages b per-sample gradients; its noise shrinks like sigma squared over b',
  },
  sharpness: {
    tex: String.raw`\max_{\|\delta\| \le \rho} f(x + \delta) - f(x) \approx \tfrac{1}{2} \rho^2 \lambda_{\max}`,
    words:
      'sharpness: how much the loss can rise within rho, about half rho squared times the largest curvature',
  },
} as const satisfies Record<string, { tex: string; words: string }>;

export type EquationId = keyof typeof EQUATIONS;
export const EQUATION_IDS = Object.keys(EQUATIONS) as EquationId[];

/**
 * The hyperparameters of the AdaSAM family (spec §3), its two presets (§5), the named family
 * members (§6) and the validation rules of §7. Pure data and functions: no tensors, no UI.
 */

export type EpsMode = 'floor' | 'add';
export type Perturbation = 'sam' | 'asam';
export type Preset = 'paper' | 'torch';

/** Every knob of spec §3. Keys are the spec's (and the golden files') names. */
export interface OptimizerConfig {
  /** γ, base step size */
  lr: number;
  /** ρ, perturbation radius; 0 turns the perturbation off */
  rho: number;
  /** β1, EMA momentum */
  beta1: number;
  /** β2, EMA of g² */
  beta2: number;
  /** ε; where it acts depends on epsMode */
  eps: number;
  /** floor: v̂₋₁ = ε² (paper); add: η = 1/(√(v̂/bc2) + ε) (torch) */
  epsMode: EpsMode;
  /** divide m by 1−β1^k and v̂ by 1−β2^k (torch) */
  biasCorrection: boolean;
  /** false: η ≡ 1 (SGD family) */
  adaptive: boolean;
  /** false: Adam variant (no running max) */
  amsgrad: boolean;
  perturbation: Perturbation;
  /** ξ, added to the norm in δ */
  perturbEps: number;
  /** η_A, ASAM's offset in T = |x| + η_A */
  asamEta: number;
  /** λ, coupled L2 added to g_t at x_t */
  weightDecay: number;
}

export const CONFIG_KEYS = [
  'lr',
  'rho',
  'beta1',
  'beta2',
  'eps',
  'epsMode',
  'biasCorrection',
  'adaptive',
  'amsgrad',
  'perturbation',
  'perturbEps',
  'asamEta',
  'weightDecay',
] as const satisfies readonly (keyof OptimizerConfig)[];

/** What each preset sets (spec §5); everything else is shared. */
export const PRESETS: Record<Preset, Pick<OptimizerConfig, 'biasCorrection' | 'epsMode'>> = {
  paper: { biasCorrection: false, epsMode: 'floor' },
  torch: { biasCorrection: true, epsMode: 'add' },
};

/** Spec §3 defaults; the paper preset is the default. */
export const DEFAULT_CONFIG: Readonly<OptimizerConfig> = Object.freeze({
  lr: 1e-3,
  rho: 0.05,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  ...PRESETS.paper,
  adaptive: true,
  amsgrad: true,
  perturbation: 'sam',
  perturbEps: 1e-12,
  asamEta: 0.01,
  weightDecay: 0,
});

/** The named members of the family (spec §6): each is a setting of the same update. */
export const FAMILY = {
  sgd: { label: 'SGD', knobs: { adaptive: false, beta1: 0, rho: 0 } },
  sgdm: { label: 'SGD-momentum', knobs: { adaptive: false, beta1: 0.9, rho: 0 } },
  sam: { label: 'SAM', knobs: { adaptive: false, beta1: 0, rho: 0.05, perturbation: 'sam' } },
  samm: {
    label: 'SAM-momentum',
    knobs: { adaptive: false, beta1: 0.9, rho: 0.05, perturbation: 'sam' },
  },
  asam: { label: 'ASAM', knobs: { adaptive: false, beta1: 0, rho: 0.5, perturbation: 'asam' } },
  amsgrad: { label: 'AMSGrad', knobs: { adaptive: true, amsgrad: true, rho: 0 } },
  adam: { label: 'Adam', knobs: { adaptive: true, amsgrad: false, rho: 0 } },
  samAdam: {
    label: 'SAM-Adam',
    knobs: { adaptive: true, amsgrad: false, rho: 0.05, perturbation: 'sam' },
  },
  adasam: {
    label: 'AdaSAM',
    knobs: { adaptive: true, amsgrad: true, rho: 0.05, perturbation: 'sam' },
  },
} as const satisfies Record<string, { label: string; knobs: Partial<OptimizerConfig> }>;

export type FamilyName = keyof typeof FAMILY;
export const FAMILY_NAMES = Object.keys(FAMILY) as FamilyName[];

/** A full config for a family member under a preset, with explicit overrides last. */
export function recipe(
  name: FamilyName,
  preset: Preset = 'paper',
  overrides: Partial<OptimizerConfig> = {},
): OptimizerConfig {
  return { ...DEFAULT_CONFIG, ...PRESETS[preset], ...FAMILY[name].knobs, ...overrides };
}

/** The family member a config is, if it is exactly one of them (ignoring lr, ρ's size, ε, β2). */
export function familyOf(c: OptimizerConfig): FamilyName {
  const perturbed = c.rho > 0;
  if (!c.adaptive) {
    if (perturbed && c.perturbation === 'asam') return 'asam';
    if (perturbed) return c.beta1 === 0 ? 'sam' : 'samm';
    return c.beta1 === 0 ? 'sgd' : 'sgdm';
  }
  if (c.amsgrad) return perturbed ? 'adasam' : 'amsgrad';
  return perturbed ? 'samAdam' : 'adam';
}

/** A configuration that cannot be run; `key` names the offending setting. */
export class ConfigError extends Error {
  constructor(
    readonly key: keyof OptimizerConfig,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

interface NumberRule {
  key: keyof OptimizerConfig;
  ok: (x: number, c: OptimizerConfig) => boolean;
  range: string;
}

const NUMBER_RULES: NumberRule[] = [
  { key: 'lr', ok: (x) => x > 0, range: 'a finite number > 0' },
  { key: 'rho', ok: (x) => x >= 0, range: 'a finite number ≥ 0' },
  { key: 'beta1', ok: (x) => x >= 0 && x < 1, range: 'in [0, 1)' },
  {
    key: 'beta2',
    ok: (x, c) => x >= 0 && (x < 1 || (x === 1 && !c.biasCorrection)),
    range: 'in [0, 1) with biasCorrection, in [0, 1] without it (β2 = 1 makes 1 − β2^k = 0)',
  },
  { key: 'eps', ok: (x) => x > 0, range: 'a finite number > 0' },
  { key: 'perturbEps', ok: (x) => x >= 0, range: 'a finite number ≥ 0' },
  { key: 'asamEta', ok: (x) => x >= 0, range: 'a finite number ≥ 0' },
  { key: 'weightDecay', ok: (x) => x >= 0, range: 'a finite number ≥ 0' },
];

const ENUMS: { key: keyof OptimizerConfig; values: readonly string[] }[] = [
  { key: 'epsMode', values: ['floor', 'add'] },
  { key: 'perturbation', values: ['sam', 'asam'] },
];

const show = (x: unknown): string =>
  typeof x === 'number' ? String(x) : (JSON.stringify(x) ?? String(x));

const BOOLEANS = ['biasCorrection', 'adaptive', 'amsgrad'] as const;

/**
 * Throws ConfigError for a configuration spec §7 rejects (β1 = 1, ε ≤ 0, β2 = 1 with bias
 * correction, negative ρ or lr, an unknown perturbation, …), before any step is taken.
 */
export function validateConfig(c: OptimizerConfig): OptimizerConfig {
  for (const { key, values } of ENUMS) {
    const x = c[key];
    if (typeof x !== 'string' || !values.includes(x)) {
      throw new ConfigError(key, `${key} must be one of ${values.join(', ')}; got ${show(x)}`);
    }
  }
  for (const key of BOOLEANS) {
    if (typeof c[key] !== 'boolean')
      throw new ConfigError(key, `${key} must be true or false; got ${show(c[key])}`);
  }
  for (const { key, ok, range } of NUMBER_RULES) {
    const x = c[key];
    if (typeof x !== 'number' || !Number.isFinite(x) || !ok(x, c)) {
      throw new ConfigError(key, `${key} must be ${range}; got ${show(x)}`);
    }
  }
  return c;
}

/** Builds a config from a partial one: preset first, then explicit keys, then validation. */
export function resolveConfig(
  partial: Partial<OptimizerConfig> & { preset?: Preset } = {},
): OptimizerConfig {
  const { preset = 'paper', ...explicit } = partial;
  return validateConfig({ ...DEFAULT_CONFIG, ...PRESETS[preset], ...explicit });
}

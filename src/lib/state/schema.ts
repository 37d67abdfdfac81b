/**
 * The one table of every user-visible setting. The share-link codec (url.ts), the controls and
 * the `trace` command are generated from these rows; adding a knob means adding a row here.
 *
 * Valid ranges are those of spec §3 (the optimizer rejects the rest, §7); a row's `ui` range is
 * only the slider's.
 */
import { DEFAULT_CONFIG, FAMILY, FAMILY_NAMES, type OptimizerConfig } from '../optim/config';
import { LANDSCAPE_IDS } from '../landscapes';
import type { Setting } from './settings';

/** Version written into every link as `v=`; bump it and migrate in url.ts when a key changes meaning. */
export const SCHEMA_VERSION = 1;

/** At most this many optimizers race on one page. */
export const MAX_RUNS = 8;

const d = DEFAULT_CONFIG;

/** Per-run settings: which family member, which preset, then every knob of spec §3. */
export const RUN_SETTINGS = [
  { kind: 'enum', name: 'family', url: 'opt', label: 'optimizer', help: 'Which member of the AdaSAM family (spec §6); its knobs are the defaults below.', default: 'adasam', values: FAMILY_NAMES, labels: FAMILY_NAMES.map((n) => FAMILY[n].label) },
  { kind: 'enum', name: 'preset', url: 'preset', label: 'preset', help: 'paper: no bias correction, v̂ starts at ε² (Algorithm 1). torch: bias correction, ε added to √v̂ (torch.optim.Adam).', default: 'paper', values: ['paper', 'torch'] },
] as const satisfies readonly Setting[];

/** The knobs of spec §3, keyed by their spec names. */
export const OPTIMIZER_SETTINGS = [
  { kind: 'number', name: 'lr', url: 'lr', label: 'γ (learning rate)', help: 'Base step size γ.', default: d.lr, min: 0, minExclusive: true, max: 100, ui: { min: 1e-4, max: 1, log: true } },
  { kind: 'number', name: 'rho', url: 'rho', label: 'ρ (radius)', help: 'Radius of the ascent step; 0 turns the perturbation off.', default: d.rho, min: 0, max: 10, ui: { min: 0, max: 1, step: 0.005 } },
  { kind: 'number', name: 'beta1', url: 'b1', label: 'β1 (momentum)', help: 'EMA weight of the first moment m.', default: d.beta1, min: 0, max: 1, maxExclusive: true, ui: { min: 0, max: 0.999, step: 0.001 } },
  { kind: 'number', name: 'beta2', url: 'b2', label: 'β2', help: 'EMA weight of the second moment v; 1 only without bias correction.', default: d.beta2, min: 0, max: 1, ui: { min: 0.9, max: 1, step: 0.0001 } },
  { kind: 'number', name: 'eps', url: 'eps', label: 'ε', help: 'floor: v̂ starts at ε²; add: η = 1/(√v̂ + ε).', default: d.eps, min: 0, minExclusive: true, max: 10, ui: { min: 1e-10, max: 1, log: true } },
  { kind: 'enum', name: 'epsMode', url: 'epsMode', label: 'ε placement', help: 'floor (paper) or add (torch).', default: d.epsMode, values: ['floor', 'add'] },
  { kind: 'bool', name: 'biasCorrection', url: 'bc', label: 'bias correction', help: 'Divide m by 1−β1^k and v̂ by 1−β2^k (torch).', default: d.biasCorrection },
  { kind: 'bool', name: 'adaptive', url: 'adaptive', label: 'adaptive η', help: 'Off: η ≡ 1 (the SGD family).', default: d.adaptive },
  { kind: 'bool', name: 'amsgrad', url: 'ams', label: 'AMSGrad max', help: 'Keep the running maximum v̂ (off: the Adam variant).', default: d.amsgrad },
  { kind: 'enum', name: 'perturbation', url: 'pert', label: 'perturbation', help: 'sam: δ = ρ s/‖s‖; asam: scaled by T = |x| + η_A.', default: d.perturbation, values: ['sam', 'asam'] },
  { kind: 'number', name: 'perturbEps', url: 'xi', label: 'ξ (norm ε)', help: 'Added to the norm in δ.', default: d.perturbEps, min: 0, max: 1 },
  { kind: 'number', name: 'asamEta', url: 'asamEta', label: 'η_A (ASAM offset)', help: 'T = |x| + η_A.', default: d.asamEta, min: 0, max: 10 },
  { kind: 'number', name: 'weightDecay', url: 'wd', label: 'λ (weight decay)', help: 'Coupled L2 added to g at the unperturbed point.', default: d.weightDecay, min: 0, max: 10 },
] as const satisfies readonly (Setting & { name: keyof OptimizerConfig })[];

/** Settings of the 2-D page (one scene, shared by every run of the race). */
export const SCENE_SETTINGS = [
  { kind: 'enum', name: 'problem', url: 'land', label: 'landscape', help: 'The 2-D loss surface.', default: 'wells', values: LANDSCAPE_IDS },
  { kind: 'vec2', name: 'x0', url: 'x0', label: 'start x₀', help: 'Starting point "a,b" (default: the landscape’s).', default: null, min: -1e3, max: 1e3 },
  { kind: 'int', name: 'steps', url: 'T', label: 'steps', help: 'Iterations per run.', default: 100, min: 1, max: 5000 },
  { kind: 'number', name: 'sigma', url: 'sigma', label: 'σ (gradient noise)', help: 'Noise scale of the per-sample losses; 0 is the exact landscape.', default: 0, min: 0, max: 100, ui: { min: 0, max: 5, step: 0.05 } },
  { kind: 'int', name: 'batch', url: 'b', label: 'b (batch size)', help: 'Samples per minibatch in stochastic mode.', default: 4, min: 1, max: 64 },
  { kind: 'int', name: 'seed', url: 'seed', label: 'seed', help: 'Seeds the minibatches; every run of the race sees the same ones.', default: 1, min: 0, max: 2 ** 31 - 1 },
] as const satisfies readonly Setting[];

/** View state of the 2-D page: part of the link so it reopens the identical frame. */
export const VIEW_SETTINGS = [
  { kind: 'enum', name: 'view', url: 'view', label: 'view', help: 'Contour map, 3-D surface, or both.', default: 'both', values: ['contour', '3d', 'both'] },
  { kind: 'int', name: 'anatomyRun', url: 'ar', label: 'anatomy of', help: 'Which run the step anatomy shows.', default: 0, min: 0, max: MAX_RUNS - 1 },
  { kind: 'int', name: 'anatomyStep', url: 'at', label: 'step t', help: 'Which step the anatomy shows.', default: 0, min: 0, max: 5000 },
  { kind: 'int', name: 'anatomyPhase', url: 'ap', label: 'phase', help: 'Which phase of the step is shown (0–5).', default: 5, min: 0, max: 5 },
] as const satisfies readonly Setting[];

export const PAGES = ['2d', 'lab'] as const;
export type Page = (typeof PAGES)[number];

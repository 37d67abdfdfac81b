/**
 * The one table of every user-visible setting. The share-link codec (url.ts), the controls and
 * the `trace` command are generated from these rows; adding a knob means adding a row here.
 *
 * Valid ranges are those of spec §3 (the optimizer rejects the rest, §7); a row's `ui` range is
 * only the slider's.
 */
import { DEFAULT_CONFIG, FAMILY, FAMILY_NAMES, type OptimizerConfig } from '../optim/config';
import { LANDSCAPE_IDS } from '../landscapes';
import { DEFAULT_RACE } from '../landscapes/race';
import { DEFAULT_STOCHASTIC } from '../landscapes/stochastic';
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
  { kind: 'enum', name: 'problem', url: 'land', label: 'landscape', help: 'The 2-D loss surface.', default: DEFAULT_RACE.landscape, values: LANDSCAPE_IDS },
  { kind: 'vec2', name: 'x0', url: 'x0', label: 'start x₀', help: 'Starting point "a,b"; empty: the landscape’s own start.', default: null, min: -1e3, max: 1e3 },
  { kind: 'int', name: 'steps', url: 'T', label: 'steps', help: 'Iterations per run.', default: DEFAULT_RACE.steps, min: 1, max: 5000 },
  { kind: 'number', name: 'sigma', url: 'sigma', label: 'σ (gradient noise)', help: 'Noise scale of the per-sample losses; 0 is the exact landscape.', default: 0, min: 0, max: 100, ui: { min: 0, max: 5, step: 0.05 } },
  { kind: 'int', name: 'batch', url: 'b', label: 'b (batch size)', help: `Samples per minibatch in stochastic mode (of ${DEFAULT_STOCHASTIC.samples} per-sample losses).`, default: DEFAULT_STOCHASTIC.batch, min: 1, max: 64 },
  { kind: 'int', name: 'seed', url: 'seed', label: 'seed', help: 'Seeds the minibatches; every run of the race sees the same ones.', default: DEFAULT_STOCHASTIC.seed, min: 0, max: 2 ** 31 - 1 },
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

// ─── the transformer lab ─────────────────────────────────────────────────────────────────────
// Its keys carry the `lab.` prefix so they never collide with the 2-D page's; its runs are a
// separate list (`lab.r0=…`, see url.ts) because good learning rates for a transformer differ
// from those on a 2-D landscape by orders of magnitude.

export const LAB_TASKS = ['modadd', 'reverse', 'sort', 'brackets', 'majority', 'charlm'] as const;
export const LAB_BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

/**
 * What the lab trains and how: task, task parameters, model shape, training loop, seed and
 * backend. `group` only orders the controls; `tasks` lists the tasks a task parameter applies to.
 */
export const LAB_SETTINGS = [
  { kind: 'enum', name: 'task', url: 'lab.task', group: 'task', label: 'task', help: 'What the transformer learns; every task is generated from the seed.', default: 'modadd', values: LAB_TASKS, labels: ['a + b mod p', 'reverse a sequence', 'sort a sequence', 'balanced brackets?', 'majority of 0/1', 'character-level LM'] },
  { kind: 'int', name: 'p', url: 'lab.p', group: 'task', tasks: ['modadd'], label: 'p (modulus)', help: 'Modular addition works on 0…p−1; all p² pairs are split into train and test.', default: 23, min: 2, max: 113 },
  { kind: 'number', name: 'trainFraction', url: 'lab.frac', group: 'task', tasks: ['modadd'], label: 'train fraction', help: 'Share of the p² pairs used for training; the rest is the test set.', default: 0.5, min: 0, minExclusive: true, max: 1, maxExclusive: true, ui: { min: 0.1, max: 0.9, step: 0.05 } },
  { kind: 'int', name: 'length', url: 'lab.len', group: 'task', tasks: ['reverse', 'sort', 'brackets', 'majority'], label: 'length', help: 'Input length L (reverse/sort: 2 ≤ L ≤ 32; brackets: even; majority: odd).', default: 8, min: 2, max: 64 },
  { kind: 'int', name: 'alphabet', url: 'lab.A', group: 'task', tasks: ['reverse', 'sort'], label: 'alphabet', help: 'Number of distinct symbols in the sequences.', default: 10, min: 2, max: 64 },
  { kind: 'int', name: 'trainSize', url: 'lab.ntr', group: 'task', tasks: ['reverse', 'sort', 'brackets', 'majority'], label: 'train examples', help: 'Size of the generated training set.', default: 2000, min: 16, max: 20000 },
  { kind: 'int', name: 'testSize', url: 'lab.nte', group: 'task', tasks: ['reverse', 'sort', 'brackets', 'majority'], label: 'test examples', help: 'Size of the generated test set (disjoint from the training set).', default: 500, min: 16, max: 5000 },
  { kind: 'int', name: 'seqLen', url: 'lab.ctx', group: 'task', tasks: ['charlm'], label: 'context (characters)', help: 'Characters per training window of the language model.', default: 32, min: 4, max: 64 },
  { kind: 'int', name: 'layers', url: 'lab.L', group: 'model', label: 'blocks', help: 'Pre-LayerNorm transformer blocks.', default: 2, min: 1, max: 4 },
  { kind: 'int', name: 'dModel', url: 'lab.d', group: 'model', label: 'd_model', help: 'Width of the residual stream; must be a multiple of the number of heads.', default: 64, min: 32, max: 128 },
  { kind: 'int', name: 'heads', url: 'lab.h', group: 'model', label: 'heads', help: 'Attention heads per block.', default: 4, min: 1, max: 8 },
  { kind: 'int', name: 'mlp', url: 'lab.mlp', group: 'model', label: 'MLP width', help: 'Hidden width of each block’s MLP.', default: 128, min: 8, max: 512 },
  { kind: 'number', name: 'dropout', url: 'lab.drop', group: 'model', label: 'dropout', help: 'Dropout on the residual branches; both SAM passes of a step share one mask.', default: 0, min: 0, max: 0.5, ui: { min: 0, max: 0.5, step: 0.05 } },
  { kind: 'int', name: 'batch', url: 'lab.b', group: 'train', label: 'batch size', help: 'Examples per minibatch; every optimizer sees the same batches in the same order.', default: 64, min: 1, max: 512 },
  { kind: 'int', name: 'steps', url: 'lab.steps', group: 'train', label: 'steps', help: 'Iterations per optimizer.', default: 300, min: 1, max: 20000 },
  { kind: 'int', name: 'evalEvery', url: 'lab.eval', group: 'train', label: 'evaluate every', help: 'Steps between test-set evaluations (also at the start and the end).', default: 25, min: 1, max: 5000 },
  { kind: 'int', name: 'seed', url: 'lab.seed', group: 'train', label: 'seed', help: 'Seeds the task, the initial weights, the batch order and the dropout masks.', default: 1, min: 0, max: 2 ** 31 - 1 },
  { kind: 'enum', name: 'backend', url: 'lab.be', group: 'train', label: 'backend', help: 'auto picks the fastest that works (a software WebGPU adapter is slow, so WebGL or WASM win then).', default: 'auto', values: LAB_BACKENDS, labels: ['auto', 'WebGPU', 'WebGL', 'WASM', 'CPU'] },
] as const satisfies readonly (Setting & { group: 'task' | 'model' | 'train'; tasks?: readonly (typeof LAB_TASKS)[number][] })[];

/** View state of the lab: part of the link so a shared link opens on the same chart. */
export const LAB_VIEW_SETTINGS = [
  { kind: 'enum', name: 'xAxis', url: 'lab.x', label: 'x axis', help: 'Plot the curves against steps, gradient evaluations (SAM costs two per step) or each run’s own training time.', default: 'steps', values: ['steps', 'gradEvals', 'wallMs'], labels: ['steps', 'gradient evaluations', 'wall-clock time'] },
  { kind: 'enum', name: 'curve', url: 'lab.y', label: 'curves', help: 'Which losses the chart shows.', default: 'train', values: ['train', 'test', 'testAcc'], labels: ['training loss', 'test loss', 'test accuracy'] },
] as const satisfies readonly Setting[];

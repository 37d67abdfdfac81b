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
import { BACKEND_NAMES, MAX_SEEDS, TASK_KINDS } from '../lab/types';
import type { Setting } from './settings';

/**
 * Version written into every link as `v=`; bump it and migrate in url.ts when a key changes meaning.
 * 1: one race and γ for every landscape. 2: each landscape's recommended settings are its defaults
 * (landscapes/recommended.ts); the lab keeps version 1's defaults. 3: the lab opens its recommended
 * race (lab/recommended.ts); the 2-D and GLUE pages mean what they meant in version 2. Every
 * version is read with its own defaults (state/defaults.ts).
 */
export const SCHEMA_VERSION = 3;

/** Every link version the decoder reads. */
export const LINK_VERSIONS = [1, 2, 3] as const;
export type LinkVersion = (typeof LINK_VERSIONS)[number];

/** At most this many optimizers race on one page. */
export const MAX_RUNS = 8;

const d = DEFAULT_CONFIG;

/** Per-run settings: which family member, which preset, then every knob of spec §3. */
export const RUN_SETTINGS = [
  {
    kind: 'enum',
    name: 'family',
    url: 'opt',
    label: 'optimizer',
    help: 'Which optimizer this run is. SGD, SAM, AMSGrad, Adam and the others are AdaSAM with some parts switched off; choosing one sets the knobs below.',
    default: 'adasam',
    values: FAMILY_NAMES,
    labels: FAMILY_NAMES.map((n) => FAMILY[n].label),
  },
  {
    kind: 'enum',
    name: 'preset',
    url: 'preset',
    label: 'preset',
    help: 'paper: as in the AdaSAM paper (no bias correction, v̂ starts at ε²). torch: as PyTorch’s Adam (bias correction, ε added to √v̂).',
    default: 'paper',
    values: ['paper', 'torch'],
  },
] as const satisfies readonly Setting[];

/** The knobs of spec §3, keyed by their spec names. */
export const OPTIMIZER_SETTINGS = [
  {
    kind: 'number',
    name: 'lr',
    url: 'lr',
    label: 'γ (learning rate)',
    unit: '(learning rate)',
    help: 'Base step size γ.',
    default: d.lr,
    min: 0,
    minExclusive: true,
    max: 100,
    ui: { min: 1e-4, max: 1, log: true },
  },
  {
    kind: 'number',
    name: 'rho',
    url: 'rho',
    label: 'ρ (radius)',
    unit: '(radius of the ascent step)',
    help: 'Radius of the ascent step; 0 turns the perturbation off.',
    default: d.rho,
    min: 0,
    max: 10,
    ui: { min: 0, max: 1, step: 0.005 },
  },
  {
    kind: 'number',
    name: 'beta1',
    url: 'b1',
    label: 'β1 (momentum)',
    unit: '(momentum weight)',
    help: 'EMA weight of the first moment m.',
    default: d.beta1,
    min: 0,
    max: 1,
    maxExclusive: true,
    ui: { min: 0, max: 0.999, step: 0.001 },
  },
  {
    kind: 'number',
    name: 'beta2',
    url: 'b2',
    label: 'β2',
    unit: '(second-moment weight)',
    help: 'EMA weight of the second moment v; 1 only without bias correction.',
    default: d.beta2,
    min: 0,
    max: 1,
    ui: { min: 0.9, max: 1, step: 0.0001 },
  },
  {
    kind: 'number',
    name: 'eps',
    url: 'eps',
    label: 'ε',
    unit: '(stability constant)',
    help: 'floor: v̂ starts at ε²; add: η = 1/(√v̂ + ε).',
    default: d.eps,
    min: 0,
    minExclusive: true,
    max: 10,
    ui: { min: 1e-10, max: 1, log: true },
  },
  {
    kind: 'enum',
    name: 'epsMode',
    url: 'epsMode',
    label: 'ε placement',
    help: 'floor (paper) or add (torch).',
    default: d.epsMode,
    values: ['floor', 'add'],
  },
  {
    kind: 'bool',
    name: 'biasCorrection',
    url: 'bc',
    label: 'bias correction',
    help: 'Divide m by 1−β1^k and v̂ by 1−β2^k (torch).',
    default: d.biasCorrection,
  },
  {
    kind: 'bool',
    name: 'adaptive',
    url: 'adaptive',
    label: 'adaptive η',
    help: 'Off: η ≡ 1 (the SGD family).',
    default: d.adaptive,
  },
  {
    kind: 'bool',
    name: 'amsgrad',
    url: 'ams',
    label: 'AMSGrad max',
    help: 'Keep the running maximum v̂ (off: the Adam variant).',
    default: d.amsgrad,
  },
  {
    kind: 'enum',
    name: 'perturbation',
    url: 'pert',
    label: 'perturbation',
    help: 'sam: δ = ρ s/‖s‖; asam: scaled by T = |x| + η_A.',
    default: d.perturbation,
    values: ['sam', 'asam'],
  },
  {
    kind: 'number',
    name: 'perturbEps',
    url: 'xi',
    label: 'ξ (norm ε)',
    unit: '(added to the norm in δ)',
    help: 'Added to the norm in δ.',
    default: d.perturbEps,
    min: 0,
    max: 1,
  },
  {
    kind: 'number',
    name: 'asamEta',
    url: 'asamEta',
    label: 'η_A (ASAM offset)',
    unit: '(ASAM offset)',
    help: 'T = |x| + η_A.',
    default: d.asamEta,
    min: 0,
    max: 10,
  },
  {
    kind: 'number',
    name: 'weightDecay',
    url: 'wd',
    label: 'λ (weight decay)',
    unit: '(weight decay)',
    help: 'Coupled L2 added to g at the unperturbed point.',
    default: d.weightDecay,
    min: 0,
    max: 10,
  },
] as const satisfies readonly (Setting & { name: keyof OptimizerConfig })[];

/** Settings of the 2-D page (one scene, shared by every run of the race). */
export const SCENE_SETTINGS = [
  {
    kind: 'enum',
    name: 'problem',
    url: 'land',
    label: 'landscape',
    help: 'The 2-D loss surface.',
    default: DEFAULT_RACE.landscape,
    values: LANDSCAPE_IDS,
  },
  {
    kind: 'vec2',
    name: 'x0',
    url: 'x0',
    label: 'start x₀',
    help: 'Starting point "a,b"; empty: the landscape’s own start.',
    default: null,
    min: -1e3,
    max: 1e3,
  },
  {
    kind: 'int',
    name: 'steps',
    url: 'T',
    label: 'steps',
    unit: 'steps',
    help: 'Iterations per run.',
    default: DEFAULT_RACE.steps,
    min: 1,
    max: 5000,
  },
  {
    kind: 'number',
    name: 'sigma',
    url: 'sigma',
    label: 'σ (gradient noise)',
    unit: '(noise scale)',
    help: 'Noise scale of the per-sample losses; 0 is the exact landscape.',
    default: 0,
    min: 0,
    max: 100,
    ui: { min: 0, max: 5, step: 0.05 },
  },
  {
    kind: 'int',
    name: 'batch',
    url: 'b',
    label: 'b (batch size)',
    unit: 'samples',
    help: `Samples per minibatch in stochastic mode (of ${DEFAULT_STOCHASTIC.samples} per-sample losses).`,
    default: DEFAULT_STOCHASTIC.batch,
    min: 1,
    max: 64,
  },
  {
    kind: 'int',
    name: 'seed',
    url: 'seed',
    label: 'seed',
    help: 'Seeds the minibatches; every run of the race sees the same ones.',
    default: DEFAULT_STOCHASTIC.seed,
    min: 0,
    max: 2 ** 31 - 1,
  },
] as const satisfies readonly Setting[];

/** View state of the 2-D page: part of the link so it reopens the identical frame. */
export const VIEW_SETTINGS = [
  {
    kind: 'enum',
    name: 'view',
    url: 'view',
    label: 'view',
    help: 'Contour map, 3-D surface, or both.',
    default: 'both',
    values: ['contour', '3d', 'both'],
  },
  {
    kind: 'int',
    name: 'anatomyRun',
    url: 'ar',
    label: 'anatomy of',
    help: 'Which run the step anatomy shows.',
    default: 0,
    min: 0,
    max: MAX_RUNS - 1,
  },
  {
    kind: 'int',
    name: 'anatomyStep',
    url: 'at',
    label: 'step t',
    help: 'Which step the anatomy shows.',
    default: 0,
    min: 0,
    max: 5000,
  },
  {
    kind: 'int',
    name: 'anatomyPhase',
    url: 'ap',
    label: 'phase',
    help: 'Which phase of the step is shown (0–5).',
    default: 5,
    min: 0,
    max: 5,
  },
  {
    kind: 'bool',
    name: 'logLoss',
    url: 'ylog',
    label: 'log loss axis',
    help: 'Plot how far each run is above the lowest minimum, log₁₀(f − f*), so slow progress near the minimum stays visible.',
    default: false,
  },
  {
    kind: 'bool',
    name: 'testView',
    url: 'tv',
    label: 'show the test view',
    help: 'Show the landscape moved a little, as new data moves a model’s loss: a flat minimum stays low, a sharp one rises.',
    default: false,
  },
] as const satisfies readonly Setting[];

export const PAGES = ['2d', 'lab', 'glue'] as const;
export type Page = (typeof PAGES)[number];

// ─── the transformer lab ─────────────────────────────────────────────────────────────────────
// Its keys carry the `lab.` prefix so they never collide with the 2-D page's; its runs are a
// separate list (`lab.r0=…`, see url.ts) because good learning rates for a transformer differ
// from those on a 2-D landscape by orders of magnitude.

export const LAB_TASKS = TASK_KINDS;
export const LAB_BACKENDS = ['auto', ...BACKEND_NAMES] as const;

/**
 * What the lab trains and how: task, task parameters, model shape, training loop, seed and
 * backend. `group` only orders the controls; `tasks` lists the tasks a task parameter applies to.
 */
export const LAB_SETTINGS = [
  {
    kind: 'enum',
    name: 'task',
    url: 'lab.task',
    group: 'task',
    label: 'task',
    help: 'What the transformer learns; every task is generated from the seed.',
    default: 'modadd',
    values: LAB_TASKS,
    labels: [
      'a + b mod p',
      'reverse a sequence',
      'sort a sequence',
      'balanced brackets?',
      'majority of 0/1',
      'character-level LM',
    ],
  },
  {
    kind: 'int',
    name: 'p',
    url: 'lab.p',
    group: 'task',
    tasks: ['modadd'],
    label: 'p (modulus)',
    unit: '(modulus)',
    help: 'Modular addition works on 0…p−1; all p² pairs are split into train and test.',
    default: 23,
    min: 2,
    max: 113,
  },
  {
    kind: 'number',
    name: 'trainFraction',
    url: 'lab.frac',
    group: 'task',
    tasks: ['modadd'],
    label: 'train fraction',
    unit: '(share of the pairs used for training)',
    help: 'Share of the p² pairs used for training; the rest is the test set.',
    default: 0.5,
    min: 0,
    minExclusive: true,
    max: 1,
    maxExclusive: true,
    ui: { min: 0.1, max: 0.9, step: 0.05 },
  },
  {
    kind: 'int',
    name: 'length',
    url: 'lab.len',
    group: 'task',
    tasks: ['reverse', 'sort', 'brackets', 'majority'],
    label: 'length',
    unit: 'tokens',
    help: 'Input length L (reverse/sort: 2 ≤ L ≤ 32; brackets: even; majority: odd).',
    default: 8,
    min: 2,
    max: 64,
  },
  {
    kind: 'int',
    name: 'alphabet',
    url: 'lab.A',
    group: 'task',
    tasks: ['reverse', 'sort'],
    label: 'alphabet',
    unit: 'symbols',
    help: 'Number of distinct symbols in the sequences.',
    default: 10,
    min: 2,
    max: 64,
  },
  {
    kind: 'int',
    name: 'trainSize',
    url: 'lab.ntr',
    group: 'task',
    tasks: ['reverse', 'sort', 'brackets', 'majority'],
    label: 'train examples',
    unit: 'examples',
    help: 'Size of the generated training set.',
    default: 2000,
    min: 16,
    max: 20000,
  },
  {
    kind: 'int',
    name: 'testSize',
    url: 'lab.nte',
    group: 'task',
    tasks: ['reverse', 'sort', 'brackets', 'majority'],
    label: 'test examples',
    unit: 'examples',
    help: 'Size of the generated test set (disjoint from the training set).',
    default: 500,
    min: 16,
    max: 5000,
  },
  {
    kind: 'int',
    name: 'seqLen',
    url: 'lab.ctx',
    group: 'task',
    tasks: ['charlm'],
    label: 'context (characters)',
    unit: 'characters',
    help: 'Characters per training window of the language model.',
    default: 32,
    min: 4,
    max: 64,
  },
  {
    kind: 'int',
    name: 'layers',
    url: 'lab.L',
    group: 'model',
    label: 'blocks',
    unit: 'blocks',
    help: 'Pre-LayerNorm transformer blocks.',
    default: 2,
    min: 1,
    max: 4,
  },
  {
    kind: 'int',
    name: 'dModel',
    url: 'lab.d',
    group: 'model',
    label: 'd_model',
    unit: 'dimensions',
    help: 'Width of the residual stream; must be a multiple of the number of heads.',
    default: 64,
    min: 32,
    max: 128,
  },
  {
    kind: 'int',
    name: 'heads',
    url: 'lab.h',
    group: 'model',
    label: 'heads',
    unit: 'heads',
    help: 'Attention heads per block.',
    default: 4,
    min: 1,
    max: 8,
  },
  {
    kind: 'int',
    name: 'mlp',
    url: 'lab.mlp',
    group: 'model',
    label: 'MLP width',
    unit: 'hidden units',
    help: 'Hidden width of each block’s MLP.',
    default: 128,
    min: 8,
    max: 512,
  },
  {
    kind: 'number',
    name: 'dropout',
    url: 'lab.drop',
    group: 'model',
    label: 'dropout',
    unit: '(probability of dropping a unit)',
    help: 'Dropout on the residual branches; both SAM passes of a step share one mask.',
    default: 0,
    min: 0,
    max: 0.5,
    ui: { min: 0, max: 0.5, step: 0.05 },
  },
  {
    kind: 'int',
    name: 'batch',
    url: 'lab.b',
    group: 'train',
    label: 'batch size',
    unit: 'examples',
    help: 'Examples per minibatch; every optimizer sees the same batches in the same order.',
    default: 64,
    min: 1,
    max: 512,
  },
  {
    kind: 'int',
    name: 'steps',
    url: 'lab.steps',
    group: 'train',
    label: 'steps',
    unit: 'steps',
    help: 'Iterations per optimizer.',
    default: 300,
    min: 1,
    max: 20000,
  },
  {
    kind: 'int',
    name: 'evalEvery',
    url: 'lab.eval',
    group: 'train',
    label: 'evaluate every',
    unit: 'steps',
    help: 'Steps between test-set evaluations (also at the start and the end).',
    default: 25,
    min: 1,
    max: 5000,
  },
  {
    kind: 'int',
    name: 'seed',
    url: 'lab.seed',
    group: 'train',
    label: 'seed',
    help: 'Seeds the task, the initial weights, the batch order and the dropout masks.',
    default: 1,
    min: 0,
    max: 2 ** 31 - 1,
  },
  {
    kind: 'int',
    name: 'seeds',
    url: 'lab.seeds',
    group: 'train',
    label: 'seeds',
    unit: 'seeds',
    help: 'How many times each optimizer runs, with seeds seed, seed + 1, …: each gives other initial weights, batch order and dropout masks (the task stays the same). The charts show the mean and the range between seeds.',
    default: 1,
    min: 1,
    max: MAX_SEEDS,
  },
  {
    kind: 'enum',
    name: 'backend',
    url: 'lab.be',
    group: 'train',
    label: 'backend',
    help: 'auto picks the fastest that works (a software WebGPU adapter is slow, so WebGL or WASM win then).',
    default: 'auto',
    values: LAB_BACKENDS,
    labels: ['auto', 'WebGPU', 'WebGL', 'WASM', 'CPU'],
  },
] as const satisfies readonly (Setting & {
  group: 'task' | 'model' | 'train';
  tasks?: readonly (typeof LAB_TASKS)[number][];
})[];

/** View state of the lab: part of the link so a shared link opens on the same chart. */
export const LAB_VIEW_SETTINGS = [
  {
    kind: 'enum',
    name: 'xAxis',
    url: 'lab.x',
    label: 'x axis',
    help: 'Plot the curves against steps, gradient evaluations (SAM costs two per step) or each run’s own training time.',
    default: 'steps',
    values: ['steps', 'gradEvals', 'wallMs'],
    labels: ['steps', 'gradient evaluations', 'wall-clock time'],
  },
  {
    kind: 'enum',
    name: 'curve',
    url: 'lab.y',
    label: 'curves',
    help: 'Which losses the chart shows.',
    default: 'train',
    values: ['train', 'test', 'testAcc'],
    labels: ['training loss', 'test loss', 'test accuracy'],
  },
  {
    kind: 'bool',
    name: 'everySeed',
    url: 'lab.every',
    label: 'every seed',
    help: 'Over several seeds: draw each seed’s own curve as well as their mean and range.',
    default: false,
  },
] as const satisfies readonly Setting[];

// ─── the GLUE fine-tune page ─────────────────────────────────────────────────────────────────
// Keys carry the `glue.` prefix; its race is a list of its own (`glue.r0=…`), with fine-tuning
// step sizes (1e-5) that would not move the other pages at all. Defaults follow glue.md §4.

/** The GLUE tasks (glue.md §3), declared here for the link; lib/glue/tasks.ts holds their specs. */
export const GLUE_TASKS = ['CoLA', 'SST-2', 'MRPC', 'STS-B', 'QQP', 'MNLI', 'QNLI', 'RTE'] as const;

/**
 * A Hugging Face repository id, `owner/name`, by the Hub's own rule: letters, digits, '-', '_'
 * and '.', no '--' or '..', neither part starting or ending with '-' or '.', at most 96 each.
 * Anything else in a link is dropped (decisions.md: a model id is kept only if it matches).
 */
export const HUB_ID =
  /^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?\/[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;

/**
 * The γ slider of the GLUE page's optimizers: the fine-tuning step sizes (glue.md §4: 1e-5, 2e-5;
 * 1e-3 for SGD) lie inside it, not pinned at the end of the 2-D rows' 1e-4…1 slider. Only the
 * slider differs: a link's value is checked by the lr row as everywhere, so links keep their meaning.
 */
export const GLUE_LR_UI = { min: 1e-6, max: 1e-1, log: true };

/** A Hub commit hash, as the Hub names a resolved revision. */
export const HUB_COMMIT = /^[0-9a-f]{40}$/;

/** What the GLUE page fine-tunes on and how (never data or weights: those stay on the machine). */
export const GLUE_SETTINGS = [
  {
    kind: 'text',
    name: 'model',
    url: 'glue.model',
    label: 'model (Hub id)',
    help: 'The Hugging Face model the race was made with (owner/name); its files are chosen or downloaded, never carried by the link.',
    default: 'distilbert/distilroberta-base',
    pattern: HUB_ID,
    patternHelp: 'a Hugging Face id owner/name',
    maxLength: 193,
  },
  {
    kind: 'text',
    name: 'modelRev',
    url: 'glue.mrev',
    label: 'model revision',
    help: 'The commit of the Hub model the race was made with, pinned once its files are downloaded; empty: the newest.',
    default: '',
    pattern: HUB_COMMIT,
    patternHelp: 'a 40-digit commit hash',
    maxLength: 40,
  },
  {
    kind: 'text',
    name: 'dataRev',
    url: 'glue.drev',
    label: 'data revision',
    help: 'The commit of the Hub dataset nyu-mll/glue the task data came from, pinned once downloaded; empty: the newest.',
    default: '',
    pattern: HUB_COMMIT,
    patternHelp: 'a 40-digit commit hash',
    maxLength: 40,
  },
  {
    kind: 'enum',
    name: 'task',
    url: 'glue.task',
    label: 'task',
    help: 'The GLUE task the data file belongs to (its columns and labels are checked against it).',
    default: 'MRPC',
    values: GLUE_TASKS,
  },
  {
    kind: 'int',
    name: 'batch',
    url: 'glue.b',
    label: 'batch size',
    help: 'Examples per optimizer step (the usual choice: 16, or 32 for the large tasks QQP, MNLI, QNLI and SST-2).',
    unit: 'rows',
    default: 16,
    min: 1,
    max: 512,
  },
  {
    kind: 'int',
    name: 'microBatch',
    url: 'glue.mb',
    label: 'micro-batch',
    help: 'Rows per gradient pass; fewer than the batch accumulates gradients (the same step, less memory). 0: the whole batch.',
    unit: 'rows',
    default: 0,
    min: 0,
    max: 512,
  },
  {
    kind: 'int',
    name: 'steps',
    url: 'glue.steps',
    label: 'steps',
    help: 'Optimizer steps per run; 0: as many as the epochs below take.',
    unit: 'steps',
    default: 0,
    min: 0,
    max: 1000000,
  },
  {
    kind: 'int',
    name: 'epochs',
    url: 'glue.ep',
    label: 'epochs',
    help: 'Passes over the training rows when steps is 0.',
    unit: 'epochs',
    default: 3,
    min: 1,
    max: 100,
  },
  {
    kind: 'enum',
    name: 'schedule',
    url: 'glue.sched',
    label: 'schedule',
    help: 'How the learning rate γ changes during training: a linear warm-up then a linear decay, or constant.',
    default: 'linear',
    values: ['linear', 'constant'],
  },
  {
    kind: 'number',
    name: 'warmup',
    url: 'glue.warm',
    label: 'warm-up share',
    help: 'Share of the steps spent warming up (linear schedule).',
    unit: '(share of the steps)',
    default: 0.06,
    min: 0,
    max: 1,
    maxExclusive: true,
  },
  {
    kind: 'int',
    name: 'maxLen',
    url: 'glue.len',
    label: 'max length',
    help: 'Longest encoded pair in tokens, special tokens included (longest-first truncation).',
    unit: 'tokens',
    default: 128,
    min: 8,
    max: 512,
  },
  {
    kind: 'number',
    name: 'dropout',
    url: 'glue.drop',
    label: 'dropout',
    help: 'Every dropout rate of the model; both SAM passes of a step share one mask.',
    unit: '(probability of dropping a unit)',
    default: 0.1,
    min: 0,
    max: 0.9,
  },
  {
    kind: 'int',
    name: 'maxTrain',
    url: 'glue.ntr',
    label: 'training rows (cap)',
    help: 'Train on the first N rows of the training file only; 0: all of them.',
    unit: 'rows',
    default: 0,
    min: 0,
    max: 10000000,
  },
  {
    kind: 'int',
    name: 'maxDev',
    url: 'glue.ndev',
    label: 'dev rows (cap)',
    help: 'Score on the first N rows of the dev file only (a fixed subset); 0: all of them.',
    unit: 'rows',
    default: 0,
    min: 0,
    max: 10000000,
  },
  {
    kind: 'int',
    name: 'evalEvery',
    url: 'glue.eval',
    label: 'evaluate every',
    help: 'Steps between dev evaluations (also at the start and the end).',
    unit: 'steps',
    default: 50,
    min: 1,
    max: 100000,
  },
  {
    kind: 'bool',
    name: 'diagnostics',
    url: 'glue.diag',
    label: 'per-step diagnostics',
    help: 'Report ‖s‖, ‖δ‖, cos(s, g) and the sharpness at every step and η at every evaluation, from the step’s own s, δ, g and η (no extra gradient pass, but they are kept until the step ends: about four more copies of the trainable weights).',
    default: true,
  },
  {
    kind: 'int',
    name: 'seed',
    url: 'glue.seed',
    label: 'seed',
    help: 'Seeds the row order, the dropout masks and a new classifier head.',
    default: 1,
    min: 0,
    max: 2 ** 31 - 1,
  },
  {
    kind: 'int',
    name: 'seeds',
    url: 'glue.seeds',
    label: 'seeds',
    unit: 'seeds',
    help: 'How many times each optimizer runs, with seeds seed, seed + 1, …, one run at a time (other row order, dropout masks and new head each time). The charts show the mean and the range between seeds; the table mean ± sd.',
    default: 1,
    min: 1,
    max: MAX_SEEDS,
  },
  {
    kind: 'bool',
    name: 'pruneVocab',
    url: 'glue.prune',
    label: 'prune the vocabulary',
    help: 'Keep only the embedding rows of tokens in the data: exact with weight decay 0 (unseen rows get zero gradient, so their m, v, v̂ and δ stay zero).',
    default: true,
  },
  {
    kind: 'bool',
    name: 'freezeEmbeddings',
    url: 'glue.freeze',
    label: 'freeze the word embedding',
    help: 'Do not train the word embedding (less memory; not the same run).',
    default: false,
  },
  {
    kind: 'enum',
    name: 'backend',
    url: 'glue.be',
    label: 'backend',
    help: 'auto picks the fastest that works (a software WebGPU adapter is slow, so WebGL or WASM win then).',
    default: 'auto',
    values: LAB_BACKENDS,
    labels: ['auto', 'WebGPU', 'WebGL', 'WASM', 'CPU'],
  },
  {
    kind: 'number',
    name: 'speedupLoss',
    url: 'glue.su.loss',
    label: 'speed-up: loss target',
    help: 'The speed-up experiment stops a batch size once the loss on the training rows (no dropout, checked at every evaluation) is at most this; T is that step.',
    default: 0.3,
    min: 0,
    max: 100,
  },
  {
    kind: 'int',
    name: 'speedupSteps',
    url: 'glue.su.steps',
    label: 'speed-up: step cap',
    help: 'The most steps the speed-up experiment trains each batch size (it has no T when the target is not reached by then).',
    unit: 'steps',
    default: 500,
    min: 1,
    max: 100000,
  },
] as const satisfies readonly Setting[];

/** The speed-up experiment's rows (shown in its panel, not with the training settings). */
export const GLUE_SPEEDUP_ROWS = ['speedupLoss', 'speedupSteps'] as const;

/** View state of the GLUE page. */
export const GLUE_VIEW_SETTINGS = [
  {
    kind: 'enum',
    name: 'xAxis',
    url: 'glue.x',
    label: 'x axis',
    help: 'Plot against optimizer steps, gradient evaluations (a SAM-type step costs two) or each run’s own training time.',
    default: 'steps',
    values: ['steps', 'gradEvals', 'wallMs'],
    labels: ['steps', 'gradient evaluations', 'training time'],
  },
] as const satisfies readonly Setting[];

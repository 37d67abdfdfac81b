/**
 * The `glue` command's argument parsing (glue.md §5). The optimizer options are the settings
 * table's rows (state/schema.ts) exactly as `trace` takes them; the command's own options are rows
 * of the same kind, below. Pure: returns a request or a one-line error; the script prints and exits.
 */
import {
  ConfigError,
  DEFAULT_CONFIG,
  FAMILY_NAMES,
  PRESETS,
  familyOf,
  recipe,
  validateConfig,
  type FamilyName,
  type OptimizerConfig,
  type Preset,
} from '../optim/config';
import { SCHEDULES, type ScheduleKind } from '../optim/schedule';
import { GLUE_SETTINGS, OPTIMIZER_SETTINGS } from '../state/schema';
import { describeRange, parseSetting, type Setting } from '../state/settings';
import { decodeLink, type GlueLinkSettings, type Ignored, type RunSpec } from '../state/url';
import { TASK_NAMES, taskByName, type TaskSpec } from './tasks';

/** glue.md §4: lr 2e-5 for RTE and STS-B (else 1e-5); batch 32 for the large tasks (else 16). */
export function taskDefaults(task: TaskSpec): { lr: number; batch: number } {
  return {
    lr: task.name === 'RTE' || task.name === 'STS-B' ? 2e-5 : 1e-5,
    batch: ['QQP', 'MNLI', 'QNLI', 'SST-2'].includes(task.name) ? 32 : 16,
  };
}

/** ρ for the perturbed family members when --rho is not given: the largest of the paper's grid. */
export const GLUE_RHO = 0.01;

const text = (name: string, help: string): Setting => ({
  kind: 'enum',
  name,
  url: name,
  label: name,
  help,
  default: '',
  values: [],
});
const int = (name: string, help: string, def: number, min = 1, max = 1e9): Setting => ({
  kind: 'int',
  name,
  url: name,
  label: name,
  help,
  default: def,
  min,
  max,
});
const bool = (name: string, help: string, def: boolean): Setting => ({
  kind: 'bool',
  name,
  url: name,
  label: name,
  help,
  default: def,
});

/** Free-text options (file and folder paths); `values` is empty, so they skip parseSetting. */
const PATHS = ['model', 'tokenizer', 'data', 'train', 'dev', 'submission', 'save', 'resume'];

const COMMON: Setting[] = [
  text(
    'model',
    'Model folder: config.json, model.safetensors, tokenizer.json or vocab.json + merges.txt.',
  ),
  text(
    'tokenizer',
    'tokenizer.json, or a folder with tokenizer.json or vocab.json + merges.txt (default: --model).',
  ),
  text('task', `GLUE task: ${TASK_NAMES.join(', ')} (any case; sts-b, stsb, …).`),
  int(
    'max-len',
    'Longest encoded pair, special tokens included (longest-first truncation).',
    128,
    3,
    512,
  ),
  {
    kind: 'enum',
    name: 'backend',
    url: 'backend',
    label: 'backend',
    help: 'TF.js backend in Node: wasm (default) or cpu.',
    default: 'wasm',
    values: ['wasm', 'cpu'],
  },
];

const PREDICT: Setting[] = [
  text('data', 'TSV/CSV/parquet file to predict (file order is kept).'),
  int('batch', 'Rows per forward pass.', 32),
  text('submission', 'Also write the GLUE submission file (index, prediction) here.'),
];

const TRAIN: Setting[] = [
  text('train', 'Training file (TSV/CSV/parquet).'),
  text('dev', 'Dev file, evaluated after training.'),
  {
    kind: 'enum',
    name: 'optimizer',
    url: 'opt',
    label: 'optimizer',
    help: 'Family member (spec §6) whose knobs the options below override.',
    default: 'adasam',
    values: FAMILY_NAMES,
  },
  {
    kind: 'enum',
    name: 'preset',
    url: 'preset',
    label: 'preset',
    help: 'paper or torch (spec §5); explicit options override it.',
    default: 'paper',
    values: ['paper', 'torch'],
  },
  int('batch', 'Rows per step (default 16, 32 for QQP, MNLI, QNLI, SST-2).', 16),
  int('micro-batch', 'Rows per gradient pass; fewer than --batch accumulates (same step).', 0),
  int('steps', 'Number of steps (default: --epochs).', 0),
  int('epochs', 'Epochs when --steps is not given.', 3),
  {
    kind: 'number',
    name: 'warmup',
    url: 'warmup',
    label: 'warmup',
    help: 'Share of the steps spent warming up (linear schedule).',
    default: 0.06,
    min: 0,
    max: 1,
    maxExclusive: true,
  },
  {
    kind: 'enum',
    name: 'schedule',
    url: 'schedule',
    label: 'schedule',
    help: 'Learning-rate schedule (optimizer.md §12).',
    default: 'linear',
    values: SCHEDULES,
  },
  {
    kind: 'number',
    name: 'dropout',
    url: 'dropout',
    label: 'dropout',
    help: 'Every dropout rate of the model.',
    default: 0.1,
    min: 0,
    max: 1,
    maxExclusive: true,
  },
  bool('shuffle', 'Shuffle the rows each epoch (by --seed).', true),
  int('seed', 'Seed of the shuffling, dropout and a new head.', 1, 0, 2 ** 31 - 1),
  // the page's row (glue.seeds), under its own name
  GLUE_SETTINGS.find((r) => r.name === 'seeds')!,
  bool(
    'prune-vocab',
    'Keep only the embedding rows of ids in the data (exact with weight decay 0).',
    true,
  ),
  bool('freeze-embeddings', 'Do not train the word embedding.', false),
  int('max-train', 'Train on the first N rows of --train only (0: all).', 0, 0),
  int('max-dev', 'Score the first N rows of --dev only (0: all).', 0, 0),
  text(
    'save',
    'Write the fine-tuned model folder here (config.json, model.safetensors, the tokenizer files, tokenizer_config.json: loads in transformers) and optimizer.safetensors; one subfolder <run>-seed<seed> each when several runs or seeds.',
  ),
  text(
    'resume',
    'Continue the run saved in this folder (its model.safetensors and optimizer.safetensors).',
  ),
];

export interface CommonRequest {
  model: string;
  tokenizer: string;
  task: TaskSpec | null;
  maxLen: number;
  backend: 'wasm' | 'cpu';
}

export interface PredictRequest extends CommonRequest {
  kind: 'predict';
  data: string;
  batch: number;
  submission: string | null;
}

export interface TrainRequest extends CommonRequest {
  kind: 'train';
  task: TaskSpec;
  train: string;
  dev: string | null;
  /** one run per optimizer; a share link's optimizers when one was given */
  runs: RunSpec[];
  /** the share link given, if any (the output is then an array, one object per run) */
  link: string | null;
  batch: number;
  microBatch: number;
  steps: number | null;
  epochs: number;
  warmup: number;
  schedule: ScheduleKind;
  dropout: number;
  shuffle: boolean;
  seed: number;
  /** each optimizer runs with seed, seed + 1, …, seed + seeds − 1 (an array is printed when > 1) */
  seeds: number;
  pruneVocab: boolean;
  freezeEmbeddings: boolean;
  /** the first rows of the training / dev file only; 0: all */
  maxTrain: number;
  maxDev: number;
  save: string | null;
  resume: string | null;
  /** what the share link held that was not used (the script prints it on stderr) */
  ignored: Ignored[];
}

export type GlueRequest = { kind: 'help' } | PredictRequest | TrainRequest;
export type GlueParse = { ok: true; request: GlueRequest } | { ok: false; message: string };

const optionsOf = (command: 'predict' | 'train'): Setting[] =>
  command === 'predict' ? [...COMMON, ...PREDICT] : [...COMMON, ...TRAIN, ...OPTIMIZER_SETTINGS];

export function helpText(): string {
  const lines = [
    'Usage: npm run --silent glue -- predict --model DIR --data FILE [options]',
    '       npm run --silent glue -- train --model DIR --task NAME --train FILE [options]',
    "       npm run --silent glue -- train --model DIR --task NAME --train FILE '<share link>'",
    '',
  ];
  for (const command of ['predict', 'train'] as const) {
    lines.push(`${command} options:`);
    for (const o of optionsOf(command))
      lines.push(
        `  --${o.name.padEnd(18)} ${PATHS.includes(o.name) || o.name === 'task' ? 'text' : describeRange(o)}. ${o.help}`,
      );
  }
  return lines.join('\n');
}

const looksLikeLink = (arg: string) =>
  /^(https?:\/\/|[#?])/.test(arg) || (!arg.startsWith('-') && arg.includes('='));

/** Parses argv (without node and the script). */
export function parseGlueArgs(argv: string[]): GlueParse {
  const fail = (message: string): GlueParse => ({ ok: false, message });
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')
    return { ok: true, request: { kind: 'help' } };
  const command = argv[0];
  if (command !== 'predict' && command !== 'train')
    return fail(`unknown command ${JSON.stringify(command)}: use predict or train`);
  const options = optionsOf(command);
  const given = new Map<string, string>();
  let link: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { ok: true, request: { kind: 'help' } };
    if (!arg.startsWith('--')) {
      if (command !== 'train' || link !== null || !looksLikeLink(arg))
        return fail(`unexpected argument ${JSON.stringify(arg)}: give options (--name value)`);
      link = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const option = options.find((o) => o.name === name);
    if (!option)
      return fail(
        `unknown option --${name} for ${command}; valid: ${options.map((o) => '--' + o.name).join(' ')}`,
      );
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return fail(`--${name} needs a value`);
    if (given.has(name)) return fail(`--${name} is given more than once`);
    given.set(name, value);
  }
  const values: Record<string, unknown> = {};
  for (const option of options) {
    const raw = given.get(option.name);
    if (raw === undefined) {
      values[option.name] = option.default;
      continue;
    }
    if (option.kind === 'enum' && option.values.length === 0) {
      if (raw === '') return fail(`--${option.name} needs a value`);
      values[option.name] = raw;
      continue;
    }
    const r = parseSetting(option, raw);
    if (!r.ok)
      return fail(`--${option.name} must be ${describeRange(option)}; got ${JSON.stringify(raw)}`);
    values[option.name] = r.value;
  }
  const task = given.has('task') ? taskByName(given.get('task')!) : null;
  if (given.has('task') && !task)
    return fail(
      `--task must be one of ${TASK_NAMES.join(', ')}; got ${JSON.stringify(given.get('task'))}`,
    );
  if (!given.has('model')) return fail('--model is required (a model folder)');
  const common: CommonRequest = {
    model: values.model as string,
    tokenizer: given.get('tokenizer') || (values.model as string),
    task,
    maxLen: values['max-len'] as number,
    backend: values.backend as 'wasm' | 'cpu',
  };
  if (command === 'predict') {
    if (!given.has('data')) return fail('--data is required (the file to predict)');
    return {
      ok: true,
      request: {
        ...common,
        kind: 'predict',
        data: values.data as string,
        batch: values.batch as number,
        submission: (given.get('submission') ?? null) || null,
      },
    };
  }
  if (given.has('steps') && given.has('epochs')) return fail('give --steps or --epochs, not both');
  if (!given.has('train')) return fail('--train is required (the training file)');
  const decoded = link !== null ? decodeLink(link) : null;
  if (decoded?.link.page === 'glue' && decoded.link.glue) {
    const held = [...given.keys()].find((k) => LINK_HELD.includes(k));
    if (held)
      return fail(`the GLUE share link already holds --${held}; leave it out or edit the link`);
    return {
      ok: true,
      request: fromGlueLink(common, values, given, link!, decoded.link.glue, decoded.ignored),
    };
  }
  if (!task) return fail(`--task is required for train (${TASK_NAMES.join(', ')})`);
  const defaults = taskDefaults(task);
  let runs: RunSpec[];
  if (decoded) {
    const optimizerKeys = [...given.keys()].filter(
      (k) => k === 'optimizer' || k === 'preset' || OPTIMIZER_SETTINGS.some((s) => s.name === k),
    );
    if (optimizerKeys.length > 0)
      return fail(
        `a share link already holds the optimizers; --${optimizerKeys[0]} cannot be given with it`,
      );
    runs =
      decoded.link.page === 'lab' && decoded.link.lab ? decoded.link.lab.runs : decoded.link.runs;
    if (runs.length === 0) return fail('the share link holds no optimizer');
  } else {
    const preset = values.preset as Preset;
    const family = values.optimizer as FamilyName;
    const base: OptimizerConfig = given.has('optimizer')
      ? recipe(family, preset)
      : { ...DEFAULT_CONFIG, ...PRESETS[preset] };
    const config = { ...base, lr: defaults.lr } as Record<string, unknown>;
    if (config.rho !== 0) config.rho = GLUE_RHO;
    for (const s of OPTIMIZER_SETTINGS) if (given.has(s.name)) config[s.name] = values[s.name];
    try {
      validateConfig(config as unknown as OptimizerConfig);
    } catch (e) {
      if (e instanceof ConfigError) return fail(`--${e.key}: ${e.message}`);
      throw e;
    }
    const c = config as unknown as OptimizerConfig;
    runs = [{ family: given.has('optimizer') ? family : familyOf(c), preset, config: c }];
  }
  const batch = given.has('batch') ? (values.batch as number) : defaults.batch;
  const microBatch = (values['micro-batch'] as number) || batch;
  if (microBatch > batch)
    return fail(`--micro-batch (${microBatch}) must not exceed --batch (${batch})`);
  return {
    ok: true,
    request: {
      ...common,
      kind: 'train',
      task,
      train: values.train as string,
      dev: (given.get('dev') ?? null) || null,
      runs,
      link,
      batch,
      microBatch,
      steps: given.has('steps') ? (values.steps as number) : null,
      epochs: values.epochs as number,
      warmup: values.warmup as number,
      schedule: values.schedule as ScheduleKind,
      dropout: values.dropout as number,
      shuffle: values.shuffle as boolean,
      seed: values.seed as number,
      seeds: values.seeds as number,
      pruneVocab: values['prune-vocab'] as boolean,
      freezeEmbeddings: values['freeze-embeddings'] as boolean,
      maxTrain: values['max-train'] as number,
      maxDev: values['max-dev'] as number,
      save: (given.get('save') ?? null) || null,
      resume: (given.get('resume') ?? null) || null,
      ignored: decoded?.ignored ?? [],
    },
  };
}

/**
 * Options a GLUE page link (`page=glue`) holds: with such a link they come from it (decisions.md:
 * `glue train` with a link runs every optimizer of the link, under the link's settings). Files,
 * the backend, --shuffle (the page always shuffles) and --save/--resume stay options.
 */
const LINK_HELD = [
  'task',
  'optimizer',
  'preset',
  ...OPTIMIZER_SETTINGS.map((s) => s.name),
  'batch',
  'micro-batch',
  'steps',
  'epochs',
  'warmup',
  'schedule',
  'dropout',
  'seed',
  'seeds',
  'prune-vocab',
  'freeze-embeddings',
  'max-len',
  'max-train',
  'max-dev',
];

function fromGlueLink(
  common: CommonRequest,
  values: Record<string, unknown>,
  given: Map<string, string>,
  link: string,
  g: GlueLinkSettings,
  ignored: Ignored[],
): TrainRequest {
  return {
    ...common,
    kind: 'train',
    task: taskByName(g.task)!,
    maxLen: g.maxLen,
    train: values.train as string,
    dev: (given.get('dev') ?? null) || null,
    runs: g.runs,
    link,
    batch: g.batch,
    microBatch: g.microBatch > 0 ? Math.min(g.microBatch, g.batch) : g.batch,
    steps: g.steps > 0 ? g.steps : null,
    epochs: g.epochs,
    warmup: g.warmup,
    schedule: g.schedule,
    dropout: g.dropout,
    shuffle: values.shuffle as boolean,
    seed: g.seed,
    seeds: g.seeds,
    pruneVocab: g.pruneVocab,
    freezeEmbeddings: g.freezeEmbeddings,
    maxTrain: g.maxTrain,
    maxDev: g.maxDev,
    save: (given.get('save') ?? null) || null,
    resume: (given.get('resume') ?? null) || null,
    ignored,
  };
}

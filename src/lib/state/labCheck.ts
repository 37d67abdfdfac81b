/**
 * The one validation of the transformer lab's settings. The page (before Start), the link codec
 * (each value, through parseSetting), the training worker (every init message) and the
 * command-line programs check against the same LAB_SETTINGS rows and the same rules across rows,
 * so a limit is written once: in its row.
 */
import { validateConfig } from '../optim/config';
import type { LabSettings, ModelShape, TaskKind } from '../lab/types';
import { LAB_SETTINGS, MAX_RUNS } from './schema';
import { checkSetting } from './settings';
import type { LabLinkSettings, LabRowSettings } from './url';

/**
 * What each task accepts as `length`, beyond the row's range: reverse/sort see 2·length tokens
 * (≤ 64), brackets need an even length, majority an odd one.
 */
const LENGTH_RULES: Partial<Record<TaskKind, { min: number; max: number; parity?: 0 | 1 }>> = {
  reverse: { min: 2, max: 32 },
  sort: { min: 2, max: 32 },
  brackets: { min: 4, max: 64, parity: 0 },
  majority: { min: 3, max: 63, parity: 1 },
};

/** The length closest to `length` that `task` accepts (a task switch moves it there). */
export function nearestLength(task: TaskKind, length: number): number {
  const rule = LENGTH_RULES[task];
  if (!rule) return length;
  const fixParity = (x: number) =>
    rule.parity === undefined || x % 2 === rule.parity ? x : x + 1 <= rule.max ? x + 1 : x - 1;
  return fixParity(Math.min(rule.max, Math.max(rule.min, length)));
}

/** Rules across rows, which a row's own range cannot say; in words, empty when all is well. */
function crossProblems(
  v: Pick<LabRowSettings, 'task' | 'dModel' | 'heads' | 'length' | 'p' | 'trainFraction'>,
): string[] {
  const out: string[] = [];
  if (v.dModel % v.heads !== 0) out.push(headsProblem(v.dModel, v.heads));
  const rule = LENGTH_RULES[v.task];
  if (rule && nearestLength(v.task, v.length) !== v.length) {
    if (v.task === 'reverse' || v.task === 'sort')
      out.push(
        `${v.task} needs a length of at most 32 (the model sees 2·length ≤ 64 tokens); got ${v.length}.`,
      );
    else if (v.task === 'brackets')
      out.push(`balanced brackets needs an even length of at least 4; got ${v.length}.`);
    else out.push(`majority needs an odd length in [3, 63]; got ${v.length}.`);
  }
  if (v.task === 'modadd' && Math.floor(v.trainFraction * v.p * v.p) < 1)
    out.push(`with p = ${v.p} and train fraction ${v.trainFraction} no pair is left for training.`);
  return out;
}

const headsProblem = (dModel: number, heads: number): string =>
  `d_model (${dModel}) must be a multiple of the number of heads (${heads}).`;

const MODEL_ROWS = LAB_SETTINGS.filter((r) => r.group === 'model');

/** The model shape against the lab's model rows and the heads-divide-d_model rule; empty when fine. */
export function checkModelShape(shape: ModelShape): string[] {
  const out: string[] = [];
  for (const row of MODEL_ROWS) {
    const problem = checkSetting(row, shape[row.name]);
    if (problem) out.push(problem);
  }
  if (out.length === 0 && shape.dModel % shape.heads !== 0)
    out.push(headsProblem(shape.dModel, shape.heads));
  return out;
}

const runCountProblem = (n: number): string[] =>
  n < 1
    ? ['add at least one optimizer.']
    : n > MAX_RUNS
      ? [`a race has at most ${MAX_RUNS} optimizers; got ${n}.`]
      : [];

/**
 * The page's check of a lab link: settings that each parse but do not fit together, so the page
 * can say so before training starts. Empty when all is well.
 */
export function labProblems(lab: LabLinkSettings): string[] {
  return [...crossProblems(lab), ...runCountProblem(lab.runs.length)];
}

/** The row settings a worker message describes (its task's fields, model, training, backend). */
function rowValuesOf(s: LabSettings): Record<string, unknown> {
  return {
    ...s.task,
    ...s.model,
    task: s.task?.kind,
    batch: s.batch,
    steps: s.steps,
    evalEvery: s.evalEvery,
    seed: s.seed,
    seeds: s.seeds ?? 1,
    backend: s.backend,
  };
}

/**
 * The worker's check of an init message, which may come from anywhere (a page, a test, a script):
 * every field its task uses against its row, the rules across rows and each optimizer config
 * (spec §7). Empty when all is well.
 */
export function checkLabSettings(s: LabSettings): string[] {
  const values = rowValuesOf(s);
  const taskProblem = checkSetting(LAB_SETTINGS[0], values.task);
  if (taskProblem) return [taskProblem];
  const task = values.task as TaskKind;
  const out: string[] = [];
  for (const row of LAB_SETTINGS) {
    if ('tasks' in row && !(row.tasks as readonly string[]).includes(task)) continue;
    const problem = checkSetting(row, values[row.name]);
    if (problem) out.push(problem);
  }
  const runs = Array.isArray(s.runs) ? s.runs : [];
  out.push(...runCountProblem(runs.length));
  if (out.length) return out;
  out.push(...crossProblems(values as LabRowSettings));
  for (const r of runs) {
    try {
      validateConfig({ ...r.config });
    } catch (err) {
      out.push(`${r.label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

const BATCH_ROW = LAB_SETTINGS.find((r) => r.name === 'batch')!;

/** The speed-up experiment's batch sizes: at least one, each a batch the lab's row allows. */
export function checkBatches(batches: readonly number[]): string | null {
  if (!Array.isArray(batches) || batches.length === 0) return 'give at least one batch size';
  for (const b of batches) {
    const problem = checkSetting(BATCH_ROW, b);
    if (problem) return problem;
  }
  return null;
}

/**
 * The eight GLUE tasks of the paper, declared once (spec glue.md §3): Hugging Face parquet columns,
 * GLUE TSV layout, labels and metrics. The first metric is the one used for comparisons
 * (decisions.md, GLUE).
 */
export type TaskName = 'CoLA' | 'SST-2' | 'MRPC' | 'STS-B' | 'QQP' | 'MNLI' | 'QNLI' | 'RTE';
export type MetricName = 'mcc' | 'accuracy' | 'f1' | 'pearson' | 'spearman';

/** Where the text and label columns of a GLUE TSV file are. */
export type TsvLayout =
  /** No header line: fixed column count, columns by index (CoLA). */
  | { header: false; columns: number; text: number[]; label: number }
  /** A header line: columns found by name. */
  | { header: true; text: string[]; label: string };

export interface TaskSpec {
  name: TaskName;
  /** Hugging Face config of `nyu-mll/glue` and its splits. */
  hfConfig: string;
  splits: string[];
  /** Text columns in the parquet files (one or two), label column `label`. */
  parquetText: string[];
  tsv: TsvLayout;
  /** Label names by id; null for the regression task (STS-B, a score 0–5). */
  labels: string[] | null;
  metrics: MetricName[];
}

const pair = (a: string, b: string) => [a, b];

export const TASKS: Readonly<Record<TaskName, TaskSpec>> = {
  CoLA: {
    name: 'CoLA',
    hfConfig: 'cola',
    splits: ['train', 'validation', 'test'],
    parquetText: ['sentence'],
    tsv: { header: false, columns: 4, text: [3], label: 1 },
    labels: ['unacceptable', 'acceptable'],
    metrics: ['mcc'],
  },
  'SST-2': {
    name: 'SST-2',
    hfConfig: 'sst2',
    splits: ['train', 'validation', 'test'],
    parquetText: ['sentence'],
    tsv: { header: true, text: ['sentence'], label: 'label' },
    labels: ['negative', 'positive'],
    metrics: ['accuracy'],
  },
  MRPC: {
    name: 'MRPC',
    hfConfig: 'mrpc',
    splits: ['train', 'validation', 'test'],
    parquetText: pair('sentence1', 'sentence2'),
    tsv: { header: true, text: pair('#1 String', '#2 String'), label: 'Quality' },
    labels: ['not_equivalent', 'equivalent'],
    metrics: ['f1', 'accuracy'],
  },
  'STS-B': {
    name: 'STS-B',
    hfConfig: 'stsb',
    splits: ['train', 'validation', 'test'],
    parquetText: pair('sentence1', 'sentence2'),
    tsv: { header: true, text: pair('sentence1', 'sentence2'), label: 'score' },
    labels: null,
    metrics: ['pearson', 'spearman'],
  },
  QQP: {
    name: 'QQP',
    hfConfig: 'qqp',
    splits: ['train', 'validation', 'test'],
    parquetText: pair('question1', 'question2'),
    tsv: { header: true, text: pair('question1', 'question2'), label: 'is_duplicate' },
    labels: ['not_duplicate', 'duplicate'],
    metrics: ['accuracy', 'f1'],
  },
  MNLI: {
    name: 'MNLI',
    hfConfig: 'mnli',
    splits: [
      'train',
      'validation_matched',
      'validation_mismatched',
      'test_matched',
      'test_mismatched',
    ],
    parquetText: pair('premise', 'hypothesis'),
    tsv: { header: true, text: pair('sentence1', 'sentence2'), label: 'gold_label' },
    labels: ['entailment', 'neutral', 'contradiction'],
    metrics: ['accuracy'],
  },
  QNLI: {
    name: 'QNLI',
    hfConfig: 'qnli',
    splits: ['train', 'validation', 'test'],
    parquetText: pair('question', 'sentence'),
    tsv: { header: true, text: pair('question', 'sentence'), label: 'label' },
    labels: ['entailment', 'not_entailment'],
    metrics: ['accuracy'],
  },
  RTE: {
    name: 'RTE',
    hfConfig: 'rte',
    splits: ['train', 'validation', 'test'],
    parquetText: pair('sentence1', 'sentence2'),
    tsv: { header: true, text: pair('sentence1', 'sentence2'), label: 'label' },
    labels: ['entailment', 'not_entailment'],
    metrics: ['accuracy'],
  },
};

export const TASK_NAMES = Object.keys(TASKS) as TaskName[];

/** Outputs of the head: 1 for regression, else the number of labels. */
export const numLabels = (task: TaskSpec): number => task.labels?.length ?? 1;

/** The task named `name`, case and punctuation ignored (`sst2`, `SST-2`, `sts-b`). */
export function taskByName(name: string): TaskSpec | null {
  const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (
    TASK_NAMES.map((n) => TASKS[n]).find(
      (t) => key(t.name) === key(name) || t.hfConfig === key(name),
    ) ?? null
  );
}

/** The Hugging Face parquet file of a split (spec §3). */
export const parquetUrl = (task: TaskSpec, split: string): string =>
  `https://huggingface.co/datasets/nyu-mll/glue/resolve/main/${task.hfConfig}/${split}-00000-of-00001.parquet`;

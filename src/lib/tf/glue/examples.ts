/**
 * The steps between a task's rows and the engine, shared by the `glue` command and the page's
 * worker so that both compute the same thing: the head a task needs, encoding the rows with the
 * tokenizer (glue.md §2), and scoring outputs with the task's metrics (§3).
 */
import { mnliSplit, type GlueData } from '../../glue/data';
import { frame, tokenizeExample } from '../../glue/encode';
import { metricsFor } from '../../glue/metrics';
import { numLabels, type TaskSpec } from '../../glue/tasks';
import type { GlueTokenizer } from '../../glue/tokenizer';
import type { EncodedExample } from '../roberta/batch';
import type { TaskHead } from '../roberta/load';

export const headOf = (task: TaskSpec): TaskHead => ({
  labels: numLabels(task),
  regression: task.labels === null,
});

/**
 * The first `cap` rows of a file (0: all): the page's and the command's cap on training rows and
 * fixed dev subset (glue.md §4), the same rows everywhere.
 */
export function firstRows(data: GlueData, cap: number): GlueData {
  if (cap <= 0 || cap >= data.examples.length) return data;
  const examples = data.examples.slice(0, cap);
  return { ...data, examples, labelled: examples.filter((e) => e.label !== -1).length };
}

/** Every row of `data` framed as `<s> A </s></s> B </s>` and truncated to maxLen, with its label. */
export function encodeRows(
  tokenizer: GlueTokenizer,
  data: GlueData,
  maxLen: number,
  onProgress?: (done: number) => void,
): EncodedExample[] {
  return data.examples.map((e, i) => {
    if (onProgress && i % 256 === 0) onProgress(i);
    return { ids: frame(tokenizer, tokenizeExample(tokenizer, e.a, e.b), maxLen), label: e.label };
  });
}

/** argmax per row, or the value itself for regression. */
export const predictionsOf = (task: TaskSpec, outputs: number[][]): number[] =>
  task.labels === null ? outputs.map((o) => o[0]) : outputs.map((o) => o.indexOf(Math.max(...o)));

/** The task's metrics when every row has a label (not a test split), else null. */
export function metricsOf(data: GlueData, outputs: number[][]): Record<string, number> | null {
  if (data.labelled < data.examples.length || data.labelled === 0) return null;
  const labels = data.examples.map((e) => e.label);
  return metricsFor(data.task, predictionsOf(data.task, outputs), labels, mnliSplit(data.file));
}

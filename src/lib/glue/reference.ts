/**
 * Numbers the GLUE page shows beside its own results. Plain data with their sources.
 *
 * - DISTILROBERTA_DEV: distilroberta-base's published GLUE dev scores (its Hugging Face model
 *   card, quoted by issue 9), in the task's headline metric ×100.
 * - PAPER_CLAIM: the AdaSAM paper's GLUE comparison against AMSGrad (RoBERTa-large) as the issue
 *   states it: AdaSAM ahead on 6 of the 8 tasks. The per-task table is not in the project's specs,
 *   so the page shows the claim and no per-task sign for the paper.
 */
import type { TaskName } from './tasks';

export const DISTILROBERTA_DEV: Readonly<Record<TaskName, number>> = {
  CoLA: 59.3,
  'SST-2': 92.5,
  MRPC: 86.6,
  'STS-B': 88.3,
  QQP: 89.4,
  MNLI: 84.0,
  QNLI: 90.8,
  RTE: 67.9,
};

export const PAPER_CLAIM = { wins: 6, tasks: 8, against: 'AMSGrad' } as const;

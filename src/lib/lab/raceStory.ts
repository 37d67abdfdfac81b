/**
 * What a finished lab race shows, in numbers and in words (issue 11, item 5): per run the final
 * test accuracy, training loss and test loss as mean ± sd over the seeds, and sentences made from
 * those numbers that point at the chart to watch. Nothing here is a canned claim: every sentence
 * is chosen by a comparison of the computed results, so a race where AdaSAM loses says so.
 */
import { FAMILY, familyOf, type OptimizerConfig } from '../optim/config';
import type { EvalMetrics } from './types';
import { gapOf, spreadOf, type Spread } from './seedStats';

export interface RunSummary {
  label: string;
  /** the last evaluation's test accuracy of each seed */
  testAcc: Spread;
  /** the last evaluation's loss on the fixed training sample, per seed */
  trainLoss: Spread;
  testLoss: Spread;
  /** gradient evaluations at the last evaluation (the first seed's; every seed pays the same) */
  gradEvals: number;
  /** seeds whose run stopped early (diverged), 1-based */
  stoppedSeeds: number[];
}

export interface RaceInput {
  labels: readonly string[];
  configs: readonly OptimizerConfig[];
  /** per seed, per run, the evaluations in order */
  seedEvals: readonly (readonly (readonly EvalMetrics[])[])[];
  /** the steps each run was to take */
  steps: number;
  /** ln(classes): the loss of a model that has learned nothing */
  chanceLoss: number | null;
}

/** Per run, its final numbers over the seeds. */
export function summarize(r: RaceInput): RunSummary[] {
  return r.labels.map((label, run) => {
    const last = r.seedEvals.map((seed) => seed[run]?.at(-1)).filter((e) => e !== undefined);
    return {
      label,
      testAcc: spreadOf(last.map((e) => e.testAcc)),
      trainLoss: spreadOf(last.map((e) => e.trainLoss)),
      testLoss: spreadOf(last.map((e) => e.testLoss)),
      gradEvals: last[0]?.gradEvals ?? 0,
      stoppedSeeds: last.flatMap((e, k) => (e.step < r.steps ? [k + 1] : [])),
    };
  });
}

/** A number with its sign, as gaps are written: +0.20, −0.06. */
export const signed = (x: number, digits = 2): string =>
  `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(digits)}`;

/** mean ± sd, or the value alone for one seed. */
export const meanSd = (s: Spread, digits = 3): string =>
  s.n === 0
    ? '–'
    : s.n === 1
      ? s.mean.toFixed(digits)
      : `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}`;

/**
 * Where one family runs at several ρ (a ρ grid): which ρ ends with the highest mean test accuracy,
 * whether its lead over the next is within the seeds' spread, and that the choice is made on the
 * test set (the lab has no validation split).
 */
function gridStory(r: RaceInput, rows: RunSummary[]): string[] {
  const families = r.configs.map(familyOf);
  const out: string[] = [];
  for (const family of new Set(families)) {
    const runs = families.flatMap((f, i) => (f === family && r.configs[i].rho > 0 ? [i] : []));
    const rhos = new Set(runs.map((i) => r.configs[i].rho));
    if (runs.length < 2 || rhos.size < runs.length) continue;
    const ranked = [...runs].sort((a, b) => rows[b].testAcc.mean - rows[a].testAcc.mean);
    const [best, next] = ranked;
    const name = FAMILY[family].label;
    const accs = (run: number) => r.seedEvals.map((seed) => seed[run]?.at(-1)?.testAcc ?? NaN);
    const lead = gapOf(accs(best), accs(next));
    const list = runs.map((i) => r.configs[i].rho).join(', ');
    out.push(
      `Of ${name} at ρ ${list}, ρ = ${r.configs[best].rho} ends with the highest mean test accuracy (${meanSd(rows[best].testAcc)})` +
        (r.seedEvals.length > 1
          ? `; its lead over ρ = ${r.configs[next].rho} is ${lead.withinSpread ? 'within' : 'larger than'} the spread between seeds.`
          : '.') +
        ' The lab has no separate validation split, so this picks ρ on the test set, which flatters the winner.',
    );
  }
  return out;
}

/**
 * Sentences about the race, from its numbers: where AdaSAM's difference to AMSGrad shows (test
 * accuracy or training loss) and which chart shows it, whether that gap is within the spread
 * between seeds, and which runs never left the chance loss.
 */
export function raceStory(r: RaceInput): string[] {
  const rows = summarize(r);
  const out: string[] = [];
  const families = r.configs.map(familyOf);
  const ada = families.indexOf('adasam');
  const ams = families.indexOf('amsgrad');
  const perSeed = (run: number, key: 'testAcc' | 'trainLoss') =>
    r.seedEvals.map((seed) => seed[run]?.at(-1)?.[key] ?? NaN);
  if (ada >= 0 && ams >= 0) {
    const [a, b] = [rows[ada], rows[ams]];
    const acc = gapOf(perSeed(ada, 'testAcc'), perSeed(ams, 'testAcc'));
    const loss = gapOf(perSeed(ada, 'trainLoss'), perSeed(ams, 'trainLoss'));
    const accText = `test accuracy ${meanSd(a.testAcc)} against ${meanSd(b.testAcc)}`;
    if (acc.mean > 0 && loss.mean >= 0)
      out.push(
        `${a.label}’s advantage shows in test accuracy, not in training loss: its training loss ends no lower than ${b.label}’s (${meanSd(a.trainLoss)} against ${meanSd(b.trainLoss)}), yet its ${accText}. Watch the test-accuracy curves (the “test accuracy” switch above the chart).`,
      );
    else if (acc.mean > 0)
      out.push(
        `${a.label} ends ahead of ${b.label} in both training loss (${meanSd(a.trainLoss)} against ${meanSd(b.trainLoss)}) and ${accText}; the test-accuracy curves show what matters, how well it generalises.`,
      );
    else
      out.push(
        `On ${r.seedEvals.length > 1 ? 'these seeds' : 'this seed'} ${b.label} ends with the higher test accuracy: ${a.label}’s ${accText}.`,
      );
    if (r.seedEvals.length > 1) {
      const spread = Math.max(a.testAcc.sd, b.testAcc.sd);
      const gaps = acc.perSeed.map((d) => signed(d)).join(', ');
      out.push(
        acc.withinSpread
          ? `The gap in test accuracy, ${signed(acc.mean)} (per seed ${gaps}), is within the spread between seeds (sd up to ${spread.toFixed(2)}): these ${r.seedEvals.length} seeds do not tell the two apart; more seeds, or more steps, would.`
          : `The gap in test accuracy, ${signed(acc.mean)} (per seed ${gaps}), is larger than the spread between seeds (sd up to ${spread.toFixed(2)}).`,
      );
    } else
      out.push(
        'One seed cannot say whether this gap is more than chance: set seeds to 3 or more to see the spread.',
      );
  }
  out.push(...gridStory(r, rows));
  if (r.chanceLoss !== null) {
    const stuck = rows.filter(
      (row) => row.trainLoss.n > 0 && row.trainLoss.mean >= r.chanceLoss! - 0.05,
    );
    for (const row of stuck)
      out.push(
        `${row.label} is still at the chance loss ln ${Math.round(Math.exp(r.chanceLoss))} ≈ ${r.chanceLoss.toFixed(2)} (training loss ${meanSd(row.trainLoss)}): at its learning rate it has not started to learn in ${r.steps} steps.`,
      );
  }
  return out;
}

/**
 * `trace` for a transformer-lab link: the link's race trained headlessly on the cpu backend,
 * printed as {"runs":[{"label","losses":[f_B(x_t) per step…]}…]} (decisions.md "Links and
 * defaults"). The same Race the lab's worker runs, so a link's training curves can be checked
 * without a browser. A run that diverges stops; its losses end at the last finite step.
 */
import * as tf from '@tensorflow/tfjs';
import { seedOf, type LabSettings, type TextName } from '../lab/types';
import { makeTask } from './data';
import { checkModel, modelFor, transformer } from './model/transformer';
import { Race, tokenData } from './train';

export interface LabTraceJson {
  /** one entry per run, or per run and seed when the link has several seeds (`seed`: its value) */
  runs: { label: string; seed?: number; losses: number[] }[];
}

/** Trains every run of `settings` for settings.steps steps; throws an Error naming what is wrong. */
export async function traceLab(
  settings: LabSettings,
  texts: Partial<Record<TextName, string>> = {},
): Promise<LabTraceJson> {
  await tf.setBackend('cpu');
  const data = makeTask(settings.task, settings.seed, texts);
  const model = modelFor(settings.model, data);
  const problems = checkModel(model);
  if (problems.length) throw new Error(`model: ${problems.join('; ')}`);
  const seeds = settings.seeds ?? 1;
  const out: LabTraceJson['runs'] = [];
  // the seeds one after the other (the page steps them in turn; each seed's race is the same)
  for (let k = 0; k < seeds; k++) {
    const seed = seedOf(settings.seed, k);
    const race = new Race({
      model: transformer(model),
      data: tokenData(data),
      runs: settings.runs,
      batch: settings.batch,
      seed,
      snapshotEvery: settings.steps + 1, // no weight snapshots: nothing here draws a slice
    });
    const losses: number[][] = settings.runs.map(() => []);
    try {
      for (let t = 0; t < settings.steps && race.active; t++) {
        for (const r of await race.round())
          if (r.kind === 'step') losses[r.metrics.run].push(r.metrics.loss);
      }
    } finally {
      race.dispose();
    }
    settings.runs.forEach((r, i) =>
      out.push(
        seeds > 1
          ? { label: r.label, seed, losses: losses[i] }
          : { label: r.label, losses: losses[i] },
      ),
    );
  }
  return { runs: out };
}

/**
 * What the GLUE page needs to continue a race from a checkpoint (no tfjs: only the safetensors
 * headers are read): from the checkpoints kept in this browser (glueCheckpoints.ts), or from the
 * two files of a downloaded checkpoint chosen from disk. Either way the result names the run to
 * continue and what is known of the runs up to it (their curves, kept in each state file's
 * metadata). The worker checks the rest (optimizer, schedule and data order: checkpoint.ts).
 */
import { blobSource } from '../glue/bytes';
import { GlueInputError } from '../glue/errors';
import { openSafetensors } from '../glue/safetensors';
import { STATE_FORMAT } from '../glue/stateFormat';
import {
  curvesOf,
  type CheckpointStore,
  type RaceManifest,
  type RunCurves,
} from '../worker/glueCheckpoints';
import type { GlueRaceSettings, ResumeFrom, RunStatus } from '../worker/glueProtocol';

/** What is known of a run before the continued point: its curves and each finished seed's status. */
export interface KnownRun {
  curves: RunCurves;
  seeds: RunStatus[];
}

export interface Continuation {
  resume: ResumeFrom;
  /** per run of the race; null: nothing known */
  kept: (KnownRun | null)[];
}

async function metadataOf(blob: Blob, name: string): Promise<Record<string, string>> {
  return (await openSafetensors(blobSource(blob, name))).metadata;
}

/** The same settings (the kept race can be continued by this page as it is set). */
export const sameRace = (a: GlueRaceSettings, b: GlueRaceSettings): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Run `run` on seed `seed` of the kept race, with the curves and statuses of every kept run and
 * seed before it in the race's order (seed by seed, every run once per seed).
 */
export async function fromKept(
  store: CheckpointStore,
  manifest: RaceManifest,
  run: number,
  seed = 0,
): Promise<Continuation> {
  const kept: Continuation['kept'] = manifest.runs.map(() => null);
  let resume: ResumeFrom | null = null;
  for (let k = 0; k <= seed; k++)
    for (let i = 0; i < manifest.runs.length && (k < seed || i <= run); i++) {
      const entry = manifest.runs[i][k];
      const files = entry ? await store.files(i, k) : null;
      const known = (kept[i] ??= { curves: { steps: [], evals: [] }, seeds: [] });
      if (!entry || !files) {
        if (k < seed || i < run) known.seeds[k] = 'waiting';
        continue;
      }
      const curves = curvesOf(await metadataOf(files.state, entry.state));
      known.curves.steps.push(...curves.steps);
      known.curves.evals.push(...curves.evals);
      if (i === run && k === seed)
        resume = {
          run,
          seed,
          weights: { name: entry.weights, blob: files.weights },
          state: { name: entry.state, blob: files.state },
        };
      else known.seeds[k] = entry.status;
    }
  if (!resume)
    throw new GlueInputError(
      `run ${run + 1} on seed ${manifest.settings.seed + seed} has no checkpoint kept in this browser`,
    );
  return { resume, kept };
}

const configOf = (md: Record<string, string>): string | null => {
  try {
    return JSON.stringify(Object.entries(JSON.parse(md.config) as object).sort());
  } catch {
    return null;
  }
};

/**
 * A downloaded checkpoint chosen from disk: the weights file and the optimizer-state file (told
 * apart by the state file's format; other files of a model folder are passed over), continued as
 * the run of `settings` whose optimizer it was saved by, on the seed it was saved on.
 */
export async function fromFiles(
  chosen: readonly File[],
  settings: GlueRaceSettings,
): Promise<Continuation> {
  const files = chosen.filter((f) => f.name.endsWith('.safetensors'));
  if (files.length !== 2)
    throw new GlueInputError(
      `choose the two .safetensors files of a checkpoint (the weights and the optimizer state); got ${files.length}`,
    );
  const md = await Promise.all(files.map((f) => metadataOf(f, f.name)));
  const s = md.findIndex((m) => m.format === STATE_FORMAT);
  if (s < 0 || md[1 - s].format === STATE_FORMAT)
    throw new GlueInputError(
      `${files.map((f) => f.name).join(', ')}: one of the two files must be an optimizer-state file and the other the weights`,
    );
  const state = files[s];
  const want = configOf(md[s]);
  const same = (i: number) =>
    configOf({ config: JSON.stringify(settings.runs[i].config) }) === want;
  const saved = Number(md[s].run);
  const run =
    Number.isInteger(saved) && saved < settings.runs.length && same(saved)
      ? saved
      : settings.runs.findIndex((_, i) => same(i));
  if (run < 0)
    throw new GlueInputError(
      `${state.name}: was saved by an optimizer none of this race's runs has (${md[s].config})`,
    );
  // a file the glue command wrote names no seed: the first (the worker checks the data order)
  const k = Number(md[s].seed);
  const seed = Number.isInteger(k) && k >= 0 && k < settings.seeds ? k : 0;
  const kept: Continuation['kept'] = settings.runs.map(() => null);
  kept[run] = { curves: curvesOf(md[s]), seeds: [] };
  return {
    resume: {
      run,
      seed,
      weights: { name: files[1 - s].name, blob: files[1 - s] },
      state: { name: state.name, blob: state },
    },
    kept,
  };
}

/**
 * Checkpoints of a fine-tuning run (decisions.md, GLUE): the weights as safetensors with Hugging
 * Face names (pruned word rows scattered back into the full table, so `transformers` loads the
 * file), and the optimizer state beside it in a second safetensors file: m, v, v̂ per parameter
 * (pruned rows as trained) and, in its metadata, k, the step (= the data position, order.ts), the
 * kept vocabulary ids, the optimizer configuration, schedule and data order. Resuming from both
 * continues the same run.
 */
import { fail } from '../../glue/errors';
import { STATE_FORMAT } from '../../glue/stateFormat';
import type { SafetensorsFile } from '../../glue/safetensors';
import { writeSafetensors, type NamedTensor } from '../../glue/safetensorsWrite';
import type { OptimizerWeights } from '../optimizer';
import { WORD } from '../roberta/shape';
import { scatterRows, type VocabMap } from '../roberta/vocab';
import { readMap, type TensorMap } from '../tensorSpace';
import type { FineTune } from './finetune';

export { STATE_FORMAT };

async function named(m: TensorMap, prefix = ''): Promise<NamedTensor[]> {
  const host = await readMap(m);
  return Object.keys(m).map((k) => ({ name: prefix + k, shape: [...m[k].shape], data: host[k] }));
}

/** model.safetensors of the run's current weights (F32, HF names, full vocabulary). */
export async function weightsFile(ft: FineTune, fullWord: Float32Array): Promise<Uint8Array> {
  const tensors = await named({ ...ft.params, ...ft.model.frozen });
  const word = tensors.find((t) => t.name === WORD)!;
  if (ft.vocab) {
    word.data = scatterRows(fullWord, word.data, ft.model.shape.hidden, ft.vocab);
    word.shape = [ft.vocab.full, ft.model.shape.hidden];
  }
  return writeSafetensors(tensors, { format: 'pt' });
}

/**
 * The optimizer-state file of the run: m, v, v̂ and where the run stands. `extra`: metadata a
 * caller adds (the page keeps the run's curves there); never the keys above.
 */
export async function stateFile(
  ft: FineTune,
  extra: Record<string, string> = {},
): Promise<Uint8Array> {
  const s = ft.optimizer.state;
  const tensors = [
    ...(await named(s.m, 'm/')),
    ...(s.second
      ? [...(await named(s.second.v, 'v/')), ...(await named(s.second.vHat, 'vHat/'))]
      : []),
  ];
  return writeSafetensors(tensors, {
    ...extra,
    format: STATE_FORMAT,
    k: String(s.k),
    step: String(ft.t),
    config: JSON.stringify(ft.optimizer.config),
    schedule: JSON.stringify(ft.settings.schedule),
    order: JSON.stringify(ft.order),
    vocabFull: String(ft.vocab?.full ?? 0),
    kept: ft.vocab ? JSON.stringify([...ft.vocab.kept]) : '',
  });
}

export interface SavedState {
  k: number;
  step: number;
  /** the pruned vocabulary of the saved run (null: not pruned) */
  kept: number[] | null;
  vocabFull: number;
  metadata: Record<string, string>;
}

/** Reads the metadata of a state file (no tensors yet). */
export function savedState(file: SafetensorsFile, name: string): SavedState {
  const md = file.metadata;
  if (md.format !== STATE_FORMAT)
    fail(
      name,
      `not an optimizer-state file of this program (format ${JSON.stringify(md.format ?? null)})`,
    );
  const int = (key: string) => {
    const v = Number(md[key]);
    if (!Number.isSafeInteger(v) || v < 0) fail(name, `metadata ${key} is not a count: ${md[key]}`);
    return v;
  };
  let kept: number[] | null = null;
  if (md.kept) {
    try {
      kept = JSON.parse(md.kept) as number[];
    } catch {
      fail(name, 'metadata kept is not a JSON list of token ids');
    }
  }
  return { k: int('k'), step: int('step'), kept, vocabFull: int('vocabFull'), metadata: md };
}

/** A value with object keys sorted, so that two JSON texts compare by content. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/**
 * Refuses a state file saved with another optimizer, schedule or data order than the run it is
 * to continue (resuming continues the same run, decisions.md), naming what differs.
 */
export function checkSameRun(saved: SavedState, ft: FineTune, name: string): void {
  const run = { config: ft.optimizer.config, schedule: ft.settings.schedule, order: ft.order };
  for (const key of ['config', 'schedule', 'order'] as const) {
    const text = saved.metadata[key];
    if (text === undefined) continue;
    let got: unknown;
    try {
      got = JSON.parse(text);
    } catch {
      fail(name, `metadata ${key} is not JSON`);
    }
    const want = JSON.stringify(canonical(run[key]));
    if (JSON.stringify(canonical(got)) !== want)
      fail(name, `was saved by a run with another ${key}: ${text}; this run has ${want}`);
  }
}

/** The saved run as the optimizer's checkpoint: x as loaded, k, m, v, v̂ from the state file. */
export async function readOptState(
  file: SafetensorsFile,
  name: string,
  x: TensorMap,
  adaptive: boolean,
  k: number,
): Promise<OptimizerWeights> {
  const read = async (prefix: string): Promise<Record<string, Float32Array>> => {
    const out: Record<string, Float32Array> = {};
    for (const key of Object.keys(x)) {
      const info = file.tensors.get(prefix + key);
      const shape = x[key].shape;
      if (!info || info.shape.join() !== shape.join())
        fail(name, `${prefix}${key} is missing or not of shape [${shape.join(', ')}]`);
      out[key] = await file.read(prefix + key);
    }
    return out;
  };
  return {
    k,
    x: await readMap(x),
    m: await read('m/'),
    v: adaptive ? await read('v/') : null,
    vHat: adaptive ? await read('vHat/') : null,
  };
}

/** The kept-id list of a saved state as a vocabulary map. */
export function vocabFromKept(kept: number[], full: number): VocabMap {
  const index = new Int32Array(full).fill(-1);
  kept.forEach((id, row) => {
    index[id] = row;
  });
  return { full, kept: Int32Array.from(kept), index };
}

/**
 * Everything a fine-tuning run needs, built from a model's files and the encoded data: the shape
 * and weights (vocabulary pruned to the ids of the data unless asked not to), the model (word
 * embedding frozen on request), and the optimizer, fresh or resumed from a saved state.
 */
import * as tf from '@tensorflow/tfjs';
import type { RobertaConfig } from '../../glue/config';
import { fail } from '../../glue/errors';
import type { SafetensorsFile } from '../../glue/safetensors';
import type { EncodedExample } from '../roberta/batch';
import { loadWeights, shapeFromConfig, type TaskHead } from '../roberta/load';
import { RobertaModel } from '../roberta/model';
import { WORD } from '../roberta/shape';
import { pruneVocab, type VocabMap } from '../roberta/vocab';
import type { TensorMap } from '../tensorSpace';
import { checkSameRun, readOptState, savedState, vocabFromKept } from './checkpoint';
import { FineTune, type TrainSettings } from './finetune';

export interface RunInputs {
  config: RobertaConfig;
  weights: SafetensorsFile;
  weightsName: string;
  head: TaskHead;
  train: readonly EncodedExample[];
  /** rows evaluated but not trained on (dev, test): their ids are kept in a pruned vocabulary */
  extra?: readonly EncodedExample[];
  settings: TrainSettings;
  prune: boolean;
  /** overrides every dropout rate of config.json */
  dropout?: number;
  freezeWord?: boolean;
  /** a saved optimizer state to continue from (checkpoint.ts) */
  state?: { file: SafetensorsFile; name: string };
}

export interface Run {
  ft: FineTune;
  /** the file's full word table, for checkpoints */
  fullWord: Float32Array;
  notes: string[];
  dispose(): void;
}

export async function createRun(inp: RunInputs): Promise<Run> {
  const saved = inp.state ? savedState(inp.state.file, inp.state.name) : null;
  const ids = [...inp.train, ...(inp.extra ?? [])].map((e) => e.ids);
  let vocab: VocabMap | null = null;
  if (saved?.kept) {
    // a resumed run keeps the rows it was trained with
    vocab = vocabFromKept(saved.kept, inp.config.vocabSize);
    for (const seq of ids)
      for (let i = 0; i < seq.length; i++)
        if (vocab.index[seq[i]] < 0)
          fail(
            inp.state!.name,
            `token id ${seq[i]} of the data is not in the saved run's pruned vocabulary`,
          );
  } else if (inp.prune) vocab = pruneVocab(ids, inp.config.vocabSize);
  const shape = shapeFromConfig(inp.config, inp.head, { vocab, dropout: inp.dropout });
  const loaded = await loadWeights(inp.weights, inp.config, shape, {
    vocab,
    seed: inp.settings.seed,
    fileName: inp.weightsName,
  });
  const frozen: TensorMap = inp.freezeWord ? { [WORD]: loaded.params[WORD] } : {};
  const x0 = Object.fromEntries(Object.entries(loaded.params).filter(([k]) => !(k in frozen)));
  const model = new RobertaModel(shape, frozen);
  const ft = new FineTune(model, x0, inp.train, inp.settings, vocab);
  tf.dispose(Object.values(x0));
  const notes = [...loaded.notes];
  if (vocab && inp.settings.config.weightDecay > 0)
    notes.push(
      'vocabulary pruning with weight decay > 0 is not exact: the rows left out would decay',
    );
  if (saved && inp.state) {
    try {
      checkSameRun(saved, ft, inp.state.name);
      const state = await readOptState(
        inp.state.file,
        inp.state.name,
        ft.params,
        inp.settings.config.adaptive,
        saved.k,
      );
      ft.restore(state, saved.step);
    } catch (e) {
      ft.dispose();
      tf.dispose(Object.values(frozen));
      throw e;
    }
  }
  return {
    ft,
    fullWord: loaded.fullWord,
    notes,
    dispose: () => {
      ft.dispose();
      tf.dispose(Object.values(frozen));
    },
  };
}

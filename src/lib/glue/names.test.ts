import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureJson } from '../testing/roberta';
import { bytesSource } from './bytes';
import { readConfig } from './config';
import { planWeights } from './names';
import { openSafetensors, type TensorInfo } from './safetensors';

const config = readConfig(fixtureJson('tiny/config.json'));
const tiny = await openSafetensors(
  bytesSource(fixtureBytes('tiny/model.safetensors'), 'model.safetensors'),
);

/** The tiny file's index, edited: renamed by `rename`, dropped when it returns null. */
function edited(
  rename: (name: string) => string | null,
  reshape: Record<string, number[]> = {},
): Map<string, TensorInfo> {
  const out = new Map<string, TensorInfo>();
  for (const [name, info] of tiny.tensors) {
    const to = rename(name);
    if (to !== null) out.set(to, { ...info, name: to, shape: reshape[name] ?? info.shape });
  }
  return out;
}

describe('tensor names (spec §1.3) on the tiny model', () => {
  it('loads every tensor of the tiny model except lm_head.bias and position_ids, head included', () => {
    const plan = planWeights(config, tiny.tensors, 2);
    expect(plan.headLoaded).toBe(true);
    expect(plan.initialise).toEqual([]);
    expect(plan.ignored.sort()).toEqual(['lm_head.bias', 'roberta.embeddings.position_ids']);
    // 5 embedding tensors + 16 per layer × 2 + 4 head = 41 = 43 in the file − 2 ignored.
    expect(plan.load.length).toBe(41);
    expect(plan.notes).toEqual([]);
    const word = plan.load.find((w) => w.name === 'roberta.embeddings.word_embeddings.weight')!;
    expect([word.tensor, word.shape, word.dtype]).toEqual([
      'roberta.embeddings.word_embeddings.weight',
      [50265, 32],
      'F32',
    ]);
    expect(
      plan.load.find((w) => w.name === 'roberta.encoder.layer.1.intermediate.dense.weight')!.shape,
    ).toEqual([64, 32]);
  });

  it('maps a file without the roberta. prefix (saved from RobertaModel) and initialises the absent head', () => {
    const bare = edited((n) => (n.startsWith('classifier.') ? null : n.replace(/^roberta\./, '')));
    const plan = planWeights(config, bare, 2);
    expect(plan.prefixed).toBe(false);
    expect(
      plan.load.find((w) => w.name === 'roberta.encoder.layer.0.attention.self.query.weight')!
        .tensor,
    ).toBe('encoder.layer.0.attention.self.query.weight');
    expect(plan.headLoaded).toBe(false);
    expect(plan.initialise.map((p) => [p.name, p.shape])).toEqual([
      ['classifier.dense.weight', [32, 32]],
      ['classifier.dense.bias', [32]],
      ['classifier.out_proj.weight', [2, 32]],
      ['classifier.out_proj.bias', [2]],
    ]);
    expect(plan.notes.join()).toMatch(
      /no classifier in model\.safetensors: head initialised \(normal, std 0\.02, zero biases\)/,
    );
  });

  it('initialises a head whose label count does not fit the task, and says so', () => {
    const plan = planWeights(config, tiny.tensors, 3);
    expect(plan.headLoaded).toBe(false);
    expect(plan.initialise.find((p) => p.name === 'classifier.out_proj.weight')!.shape).toEqual([
      3, 32,
    ]);
    expect(plan.notes.join()).toMatch(
      /classifier\.out_proj\.weight in model\.safetensors has shape \[2, 32\], this task needs \[3, 32\]: head initialised/,
    );
    expect(plan.ignored).toContain('classifier.out_proj.weight');
  });

  it('names a missing encoder tensor', () => {
    const index = edited((n) => (n === 'roberta.encoder.layer.1.output.dense.bias' ? null : n));
    expect(() => planWeights(config, index, 2)).toThrow(
      /missing tensor 'roberta\.encoder\.layer\.1\.output\.dense\.bias'/,
    );
  });

  it('names a tensor whose shape disagrees with config.json', () => {
    const index = edited((n) => n, {
      'roberta.encoder.layer.0.intermediate.dense.weight': [32, 64],
    });
    expect(() => planWeights(config, index, 2)).toThrow(
      /tensor 'roberta\.encoder\.layer\.0\.intermediate\.dense\.weight': shape \[32, 64\] disagrees with config\.json, which implies \[64, 32\]/,
    );
  });

  it('names a used tensor whose dtype is not a weight dtype', () => {
    const index = edited((n) => n);
    index.set('roberta.embeddings.LayerNorm.bias', {
      ...index.get('roberta.embeddings.LayerNorm.bias')!,
      dtype: 'I32',
    });
    expect(() => planWeights(config, index, 2)).toThrow(
      /tensor 'roberta\.embeddings\.LayerNorm\.bias': dtype 'I32' is not a weight dtype/,
    );
  });
});

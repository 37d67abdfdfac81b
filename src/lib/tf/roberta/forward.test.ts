/**
 * The encoder against the tiny models' goldens (shared/roberta README §4–6): an independent
 * PyTorch float64 oracle, at the float32 tolerance 1e-5 abs + 1e-4 rel. Each weights file
 * (F32, F16, BF16) is checked against its own forward entry, since the rounded weights move the
 * logits by more than the tolerance.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, disposeBatch } from './batch';
import { goldenExamples, loadTiny, tinyDir, tinyGolden } from './tinyModel';

const close = (got: number, want: number, abs = 1e-5, rel = 1e-4) =>
  Math.abs(got - want) <= abs + rel * Math.abs(want);

function expectClose(got: number[], want: number[], what: string): void {
  expect(got.length).toBe(want.length);
  const bad = got.findIndex((g, i) => !close(g, want[i]));
  expect(bad, `${what}[${bad}] = ${got[bad]}, golden ${want[bad]}`).toBe(-1);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const expected: any = JSON.parse(readFileSync(tinyDir('mrpc') + 'weights_expected.json', 'utf8'));

describe('RoBERTa forward (tiny goldens)', () => {
  for (const file of ['model.safetensors', 'model-f16.safetensors', 'model-bf16.safetensors']) {
    it(`MRPC logits and loss from ${file}`, async () => {
      const tiny = await loadTiny('mrpc', { file });
      const want = expected.files.find((f: { file: string }) => f.file === file).forward;
      const batch = makeBatch(tiny.examples, { padId: 1, regression: false, vocab: tiny.vocab });
      const logits = tiny.model.predict(tiny.params, batch);
      const loss = tiny.model.loss(tiny.params, batch, null);
      expect(batch.ids.shape).toEqual([6, 40]);
      expectClose([...(await logits.data())], want.logits.flat(), 'logits');
      expectClose([await loss.array()], [want.loss], 'loss');
      expect(tiny.headLoaded).toBe(true);
      tf.dispose([logits, loss, ...Object.values(tiny.params)]);
      disposeBatch(batch);
    });
  }

  it('STS-B predictions and mean squared error (regression head, no ½)', async () => {
    const tiny = await loadTiny('stsb');
    const g = tinyGolden('stsb');
    const batch = makeBatch(tiny.examples, { padId: 1, regression: true, vocab: tiny.vocab });
    const out = tiny.model.predict(tiny.params, batch);
    expect(out.shape).toEqual([6, 1]);
    expectClose([...(await out.data())], g.predictions, 'predictions');
    expectClose([await tiny.model.loss(tiny.params, batch, null).array()], [g.loss], 'loss');
    tf.dispose([out, ...Object.values(tiny.params)]);
    disposeBatch(batch);
  });

  it('the unpruned 50,265-row vocabulary gives the golden logits too', async () => {
    const full = await loadTiny('mrpc', { prune: false });
    const batch = makeBatch(goldenExamples('mrpc'), { padId: 1, regression: false });
    expect(full.params['roberta.embeddings.word_embeddings.weight'].shape).toEqual([50265, 32]);
    expectClose(
      [...(await full.model.predict(full.params, batch).data())],
      tinyGolden('mrpc').logits.flat(),
      'logits',
    );
    tf.dispose(Object.values(full.params));
    disposeBatch(batch);
  });

  it('positions are cumsum(mask)·mask + pad, also with left padding', async () => {
    const batch = makeBatch(
      [
        { ids: [0, 5, 2], label: 0 },
        { ids: [1, 1, 0, 7, 2], label: 1 },
      ],
      { padId: 1, regression: false },
    );
    expect(await batch.positions.array()).toEqual([
      [2, 3, 4, 1, 1],
      [1, 1, 2, 3, 4],
    ]);
    expect([...(await batch.keyMask.data())].map((m) => (m === 0 ? 0 : 1))).toEqual([
      0, 0, 0, 1, 1, 1, 1, 0, 0, 0,
    ]);
    disposeBatch(batch);
  });
});

/**
 * The GLUE worker's logic in Node (wasm backend) on the tiny fixtures: a full-batch race under
 * dropout 0 and a constant schedule follows the independent PyTorch float64 goldens
 * (tests/fixtures/roberta/tiny/golden.json; the loss is a mean over the 6 rows, so the row order
 * of a shuffled full batch does not change it); pause/stop between steps; each malformed file is
 * named with the library's message.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { glueHarness as harness, textBlob, tinyFiles, tinyRace as race } from './glueTestRace';
import { tinyGolden, useWasm } from '../tf/roberta/tinyModel';
import type { GlueFiles } from './glueProtocol';

const close = (got: number, want: number) => Math.abs(got - want) <= 1e-4 + 1e-3 * Math.abs(want);

beforeAll(useWasm);

describe('GlueHandlers', () => {
  it('a two-optimizer race follows the float64 goldens, one run after the other', async () => {
    const { h, sent } = harness();
    await h.handle({ type: 'start', files: tinyFiles(), settings: race() });
    expect(sent.filter((m) => m.type === 'error')).toEqual([]);
    const golden = tinyGolden('mrpc').optimizer.runs;
    for (const [run, key] of [
      [0, 'adasam_paper'],
      [1, 'amsgrad_paper'],
    ] as const) {
      const steps = sent.flatMap((m) => (m.type === 'step' && m.run === run ? [m.record] : []));
      expect(steps.map((s) => s.step)).toEqual([0, 1, 2]);
      steps.forEach((s, t) => {
        expect(close(s.loss, golden[key].steps[t].loss), `${key} loss ${t}`).toBe(true);
        expect(close(s.sNorm, golden[key].steps[t].sNorm), `${key} sNorm ${t}`).toBe(true);
      });
      expect(steps.map((s) => s.gradEvals)).toEqual(run === 0 ? [2, 4, 6] : [1, 2, 3]);
      const evals = sent.flatMap((m) => (m.type === 'eval' && m.run === run ? [m.point] : []));
      expect(evals.map((e) => e.step)).toEqual([0, 3]);
      expect(Object.keys(evals[0].metrics)).toEqual(['f1', 'accuracy']);
    }
    const prepared = sent.find((m) => m.type === 'prepared');
    expect(prepared).toMatchObject({ train: 6, dev: 6, steps: 3, vocabFull: 50265 });
    // run 0 ends (ok) before run 1 starts
    const runs = sent.flatMap((m) => (m.type === 'run' ? [`${m.run}:${m.status}`] : []));
    expect(runs).toEqual(['0:running', '0:ok', '1:running', '1:ok']);
    expect(h.state).toBe('done');
  }, 120_000);

  it('stop between steps ends the race; pause holds it until resume', async () => {
    const { h, sent } = harness();
    const started = h.handle({ type: 'start', files: tinyFiles(), settings: race({ steps: 50 }) });
    const until = async (f: () => boolean) => {
      while (!f()) await new Promise((r) => setTimeout(r, 5));
    };
    await until(() => sent.some((m) => m.type === 'step'));
    await h.handle({ type: 'pause' });
    expect(h.state).toBe('paused');
    const held = sent.filter((m) => m.type === 'step').length;
    await new Promise((r) => setTimeout(r, 300));
    // at most the step in flight when pause arrived is reported after it
    expect(sent.filter((m) => m.type === 'step').length).toBeLessThanOrEqual(held + 1);
    await h.handle({ type: 'resume' });
    await h.handle({ type: 'stop' });
    await started;
    expect(h.state).toBe('stopped');
    expect(sent.filter((m) => m.type === 'step').length).toBeLessThan(50);
    expect(sent.some((m) => m.type === 'run' && m.run === 1)).toBe(false);
  }, 120_000);

  it('names every malformed file with the library message, and missing ones before training', async () => {
    const { h, sent } = harness();
    const files: GlueFiles = {
      ...tinyFiles(),
      config: textBlob('{"model_type": "bert", "hidden_size": 32}', 'config.json'),
      weights: textBlob('not a safetensors file', 'model.safetensors'),
      train: textBlob('a,b\n1,2\n', 'train.csv'),
    };
    await h.handle({ type: 'inspect', id: 7, files, task: 'MRPC' });
    const r = sent.find((m) => m.type === 'inspected');
    if (r?.type !== 'inspected') throw new Error('no inspected message');
    expect(r.id).toBe(7);
    const byRole = Object.fromEntries(r.problems.map((p) => [p.role, p.message]));
    expect(byRole.config).toMatch(/^config\.json: .*model_type/);
    expect(byRole.weights).toMatch(/^model\.safetensors: /);
    expect(byRole.train).toMatch(/^train\.csv: /);
    expect(r.dev).toMatchObject({ name: 'dev.tsv', rows: 6, labelled: 6 });

    await h.handle({ type: 'start', files: { ...tinyFiles(), weights: null }, settings: race() });
    const err = sent.find((m) => m.type === 'error');
    expect(err).toMatchObject({ phase: 'input' });
    expect(err?.type === 'error' && err.message).toMatch(/model\.safetensors is missing/);
    expect(h.state).toBe('idle');
  }, 60_000);
});

/**
 * The GLUE page's part of a share link (`glue.*` keys): defaults are left out, every setting and
 * the race round-trip, a Hub model id is kept only when it is a strict owner/name, and bad values
 * fall back to their defaults with the reason listed.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { DEFAULT_GLUE, DEFAULT_LINK } from './defaults';
import { decodeLink, encodeLink } from './url';

describe('GLUE link', () => {
  it('leaves the defaults out and round-trips every setting and the race', () => {
    expect(encodeLink({ ...DEFAULT_LINK, page: 'glue' })).toBe('v=3&page=glue');
    const glue = {
      ...DEFAULT_GLUE,
      model: 'nreimers/MiniLMv2-L6-H384-distilled-from-RoBERTa-Large',
      task: 'RTE' as const,
      batch: 8,
      microBatch: 4,
      steps: 120,
      schedule: 'constant' as const,
      warmup: 0.1,
      maxLen: 64,
      dropout: 0,
      maxTrain: 500,
      maxDev: 200,
      evalEvery: 20,
      seed: 7,
      pruneVocab: false,
      freezeEmbeddings: true,
      backend: 'wasm' as const,
      modelRev: '0123456789abcdef0123456789abcdef01234567',
      dataRev: 'fedcba9876543210fedcba9876543210fedcba98',
      xAxis: 'gradEvals' as const,
      runs: [
        {
          family: 'sam' as const,
          preset: 'paper' as const,
          config: recipe('sam', 'paper', { lr: 0.01, rho: 0.005 }),
        },
        {
          family: 'amsgrad' as const,
          preset: 'torch' as const,
          config: recipe('amsgrad', 'torch', { lr: 2e-5 }),
        },
      ],
    };
    const text = encodeLink({ ...DEFAULT_LINK, page: 'glue', glue });
    expect(text).toContain('glue.model=nreimers%2FMiniLMv2-L6-H384-distilled-from-RoBERTa-Large');
    expect(text).toContain('glue.r0=sam');
    const back = decodeLink('#' + text);
    expect(back.ignored).toEqual([]);
    expect(back.link.page).toBe('glue');
    expect(back.link.glue).toEqual(glue);
  });

  it('keeps a Hub model id only when it is a strict owner/name', () => {
    const model = (id: string) => decodeLink('#v=1&page=glue&glue.model=' + encodeURIComponent(id));
    for (const id of ['distilbert/distilroberta-base', 'a/b', 'Org_1/model.v2-x']) {
      const r = model(id);
      expect(r.ignored, id).toEqual([]);
      expect(r.link.glue?.model).toBe(id);
    }
    expect(model('').link.glue?.model).toBe('');
    for (const id of [
      'https://evil.example/owner/name',
      'owner/name/extra',
      '../etc/passwd',
      'owner/../name',
      'owner--x/name',
      '-owner/name',
      'owner/name.',
      'distilroberta-base',
      '<img src=x>/y',
      'owner/name?x=1',
      'a'.repeat(97) + '/b',
    ]) {
      const r = model(id);
      expect(r.link.glue?.model, id).toBe(DEFAULT_GLUE.model);
      expect(
        r.ignored.map((i) => i.key),
        id,
      ).toEqual(['glue.model']);
      expect(r.ignored[0].reason).toMatch(/owner\/name/);
    }
  });

  it('means the same in every link version: its defaults have not changed', () => {
    for (const v of [1, 2, 3]) {
      const { link, ignored } = decodeLink(`#v=${v}&page=glue&glue.task=RTE&glue.steps=40`);
      expect(ignored).toEqual([]);
      expect(link.glue, `v=${v}`).toEqual({ ...DEFAULT_GLUE, task: 'RTE', steps: 40 });
    }
  });

  it('keeps a pinned revision only when it is a full commit hash', () => {
    const sha = 'bcdc5e8ca8b5d3b8ab1d1e3a7b3a5ddb6b0b7e41';
    const ok = decodeLink(`#v=2&page=glue&glue.mrev=${sha}&glue.drev=${sha}`);
    expect(ok.ignored).toEqual([]);
    expect([ok.link.glue?.modelRev, ok.link.glue?.dataRev]).toEqual([sha, sha]);
    for (const rev of ['main', sha.toUpperCase(), sha.slice(1), sha + '0', 'https://x.hf.co/a']) {
      const r = decodeLink('#v=2&page=glue&glue.mrev=' + encodeURIComponent(rev));
      expect(r.link.glue?.modelRev, rev).toBe('');
      expect(r.ignored.map((i) => i.key)).toEqual(['glue.mrev']);
    }
  });

  it('bad values fall back to the defaults and are listed', () => {
    const r = decodeLink('#v=1&page=glue&glue.task=SQuAD&glue.b=0&glue.r0.lr=1&glue.x=wall');
    expect(r.link.glue).toEqual(DEFAULT_GLUE);
    expect(r.ignored.map((i) => i.key).sort()).toEqual([
      'glue.b',
      'glue.r0.lr',
      'glue.task',
      'glue.x',
    ]);
  });
});

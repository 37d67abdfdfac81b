import { describe, expect, it } from 'vitest';
import { recipe } from './config';
import { updateCannotOverflow, type UpdateSums } from './overflow';

/** Sums of a fine-tuning step: |x| ~ 0.02 and |g| ~ 1e-4 over a million coordinates. */
const typical: UpdateSums = { g: 100, m: 100, x: 2e4, v: 1e-2, vHatMin: 1e-16 };
const paper = recipe('adasam', 'paper', { lr: 1e-5 });

describe('updateCannotOverflow (spec §4.4–4.7 in float32)', () => {
  it('clears an ordinary step in every preset and family member', () => {
    for (const name of ['adasam', 'amsgrad', 'adam', 'samAdam', 'sgd', 'sgdm', 'asam'] as const)
      for (const preset of ['paper', 'torch'] as const)
        expect(updateCannotOverflow(recipe(name, preset, { lr: 1e-3 }), 1, typical)).toBe(true);
  });

  it('does not clear a step with a NaN or ∞ among its sums (a sum carries them through)', () => {
    for (const key of Object.keys(typical) as (keyof UpdateSums)[])
      for (const bad of [NaN, Infinity])
        if (key !== 'vHatMin' || bad !== Infinity)
          expect(updateCannotOverflow(paper, 1, { ...typical, [key]: bad })).toBe(false);
  });

  it('does not clear a denominator that float32 can make 0: ε² or ε below its smallest value', () => {
    // ε² = 1e-60 is 0 in float32, so v̂ can be 0 and m/denom 0/0
    const tinyFloor = recipe('adam', 'paper', { lr: 1e-3, eps: 1e-30 });
    expect(updateCannotOverflow(tinyFloor, 1, typical)).toBe(false);
    const tinyAdd = recipe('adam', 'torch', { lr: 1e-3, eps: 1e-50 });
    expect(updateCannotOverflow(tinyAdd, 1, typical)).toBe(false);
    // AMSGrad in floor mode takes the state's own smallest v̂ (a loaded state may hold 0)
    expect(updateCannotOverflow(paper, 1, { ...typical, vHatMin: 0 })).toBe(false);
  });

  it('does not clear g² beyond float32 in v, nor a step beyond it in x (hand-computed margins)', () => {
    // (1 − β2)·g² = 1e-3 · 1e42
    expect(updateCannotOverflow(paper, 1, { ...typical, g: 1e21 })).toBe(false);
    expect(updateCannotOverflow(paper, 1, { ...typical, g: 1e17 })).toBe(true);
    // γ·|m_t|/ε = 1e30 · 100 / 1e-8 = 1e40 > 2^125
    expect(updateCannotOverflow({ ...paper, lr: 1e30 }, 1, typical)).toBe(false);
    // SGD: |x| + γ·|m_t| against 2^125 ≈ 4.25e37
    const sgd = recipe('sgd', 'paper', { lr: 1 });
    expect(updateCannotOverflow(sgd, 1, { ...typical, x: 2 ** 124 })).toBe(true);
    expect(updateCannotOverflow(sgd, 1, { ...typical, x: 2 ** 125 })).toBe(false);
  });

  it('counts bias correction: γ/bc1 is 10·γ at k = 1 for β1 = 0.9, about γ at k = 1000', () => {
    // (γ/bc1)·|m_t|/ε with |m_t| ≤ 1e10, ε = 1e-8, γ = 1e19: 1e37 at k = 1000, 1e38 at k = 1
    const torch = recipe('adasam', 'torch', { lr: 1e19 });
    const sums = { ...typical, g: 1e10, m: 1e10 };
    expect(updateCannotOverflow(torch, 1000, sums)).toBe(true);
    expect(updateCannotOverflow(torch, 1, sums)).toBe(false);
  });
});

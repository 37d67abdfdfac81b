/**
 * ExplainerState's verbs through its seam: the page gives it the current link and takes every
 * change back as a new link, so a test holds the link in a $state and checks the links it gets.
 * Expected values are written by hand from the opening race (landscapes/race.ts: sgd, amsgrad,
 * sam, adasam on wells from (−0.5, 0.3)) and from the rules the verbs' comments state.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getLandscape } from '../landscapes';
import { recipe } from '../optim/config';
import { DEFAULT_LINK } from '../state/defaults';
import { MAX_RUNS } from '../state/schema';
import type { PlaygroundLink } from '../state/url';
import { runScene } from '../trace/trace';
import { ExplainerState, LAST_PHASE } from './ExplainerState.svelte';

let link = $state<PlaygroundLink>(structuredClone(DEFAULT_LINK));
let changes = 0;
let ex: ExplainerState;

beforeEach(() => {
  link = structuredClone(DEFAULT_LINK);
  changes = 0;
  ex = new ExplainerState(
    () => link,
    (next) => {
      changes++;
      link = next;
    },
  );
});

afterEach(() => ex.dispose());

const families = () => link.runs.map((r) => r.family);

describe('ExplainerState: runs', () => {
  it('opens on the race’s AdaSAM run (index 3 of sgd, amsgrad, sam, adasam)', () => {
    expect(families()).toEqual(['sgd', 'amsgrad', 'sam', 'adasam']);
    expect(ex.anatomy?.run).toBe(3);
    expect(ex.results).toHaveLength(4);
  });

  it('removing a run before the anatomy’s run moves the anatomy down with its run', () => {
    ex.removeRun(1);
    expect(families()).toEqual(['sgd', 'sam', 'adasam']);
    expect(link.view.anatomyRun).toBe(2);
    expect(link.runs[link.view.anatomyRun].family).toBe('adasam');
  });

  it('the anatomy keeps showing the same run when one before it goes', () => {
    ex.addRun('adam');
    ex.setView({ anatomyRun: 2 });
    ex.removeRun(0);
    expect(families()).toEqual(['amsgrad', 'sam', 'adasam', 'adam']);
    expect(link.view.anatomyRun).toBe(1);
    expect(ex.anatomy?.config).toEqual(link.runs[1].config);
  });

  it('removing the anatomy’s own run shows run 0; removing one after it changes nothing', () => {
    ex.setView({ anatomyRun: 1 });
    ex.removeRun(3);
    expect(link.view.anatomyRun).toBe(1);
    ex.removeRun(1);
    expect(families()).toEqual(['sgd', 'sam']);
    expect(link.view.anatomyRun).toBe(0);
  });

  it('never removes the last run and never adds a ninth', () => {
    ex.removeRun(0);
    ex.removeRun(0);
    ex.removeRun(0);
    expect(families()).toEqual(['adasam']);
    const before = changes;
    ex.removeRun(0);
    expect(changes).toBe(before);
    for (let i = 0; i < 10; i++) ex.addRun('sgd');
    expect(link.runs).toHaveLength(MAX_RUNS);
    // a new run takes the last run's γ (0.05 in the opening race)
    expect(link.runs[1].config).toEqual(recipe('sgd', 'paper', { lr: 0.05 }));
  });

  it('refuses an invalid knob with the optimizer’s message and changes nothing', () => {
    ex.setPreset(3, 'torch');
    const before = structuredClone($state.snapshot(link));
    expect(ex.setKnob(3, 'beta2', 1)).toMatch(/beta2/);
    expect($state.snapshot(link)).toEqual(before);
    expect(ex.setKnob(3, 'rho', 0.3)).toBeNull();
    expect(link.runs[3].config.rho).toBe(0.3);
  });

  it('a preset switch keeps the knobs the user changed, a family switch keeps only γ', () => {
    ex.setKnob(3, 'rho', 0.4);
    ex.setPreset(3, 'torch');
    expect(link.runs[3]).toMatchObject({ preset: 'torch' });
    expect(link.runs[3].config).toEqual(recipe('adasam', 'torch', { lr: 0.05, rho: 0.4 }));
    ex.setFamily(3, 'sam');
    expect(link.runs[3]).toEqual({
      family: 'sam',
      preset: 'torch',
      config: recipe('sam', 'torch', { lr: 0.05 }),
    });
  });
});

describe('ExplainerState: scene', () => {
  it('a landscape switch moves x₀ to that landscape’s recommended start, and back to the race’s', () => {
    ex.setStart([0.2, -0.1]);
    expect(link.scene.x0).toEqual([0.2, -0.1]);
    ex.setScene({ problem: 'rosenbrock' });
    expect(link.scene.problem).toBe('rosenbrock');
    expect(ex.x0).toEqual(getLandscape('rosenbrock')!.x0);
    ex.setScene({ problem: 'himmelblau' });
    expect(ex.x0).toEqual([1, -1]);
    ex.setScene({ problem: 'wells' });
    expect(link.scene.x0).toEqual([-0.5, 0.3]);
  });

  it('a landscape switch brings the new landscape’s γ and steps unless the user changed them', () => {
    ex.setKnob(0, 'lr', 0.01);
    ex.setScene({ problem: 'rosenbrock' });
    expect(link.scene.steps).toBe(1000);
    expect(link.runs.map((r) => r.config.lr)).toEqual([0.01, 0.05, 0.0015, 0.05]);
  });

  it('the same landscape again, or another setting, keeps x₀', () => {
    ex.setStart([0.2, -0.1]);
    ex.setScene({ problem: 'wells' });
    ex.setScene({ sigma: 0.5 });
    expect(link.scene.x0).toEqual([0.2, -0.1]);
  });

  it('fewer steps pull the anatomy’s step inside the run', () => {
    ex.setView({ anatomyStep: 150 });
    ex.setScene({ steps: 20 });
    expect(link.view.anatomyStep).toBe(19);
    expect(ex.anatomy?.t).toBe(19);
  });
});

describe('ExplainerState: the step player', () => {
  it('goto clamps; nextPhase walks the phases and stops at the run’s end', () => {
    ex.setScene({ steps: 2 });
    ex.goto(99, 99);
    expect(link.view).toMatchObject({ anatomyStep: 1, anatomyPhase: LAST_PHASE });
    expect(ex.nextPhase()).toBe(false);
    ex.goto(0, LAST_PHASE);
    expect(ex.nextPhase()).toBe(true);
    expect(link.view).toMatchObject({ anatomyStep: 1, anatomyPhase: 0 });
    ex.previousPhase();
    expect(link.view).toMatchObject({ anatomyStep: 0, anatomyPhase: LAST_PHASE });
  });
});

describe('ExplainerState: recomputing only what a change touches', () => {
  it('a knob of one run recomputes that run; the others keep their results', () => {
    const before = ex.results;
    ex.setKnob(3, 'rho', 0.3);
    const after = ex.results;
    expect(after.slice(0, 3).every((r, i) => r === before[i])).toBe(true);
    expect(after[3]).not.toBe(before[3]);
    // the recomputed run is what runScene gives for the new config (as `trace` would print)
    const land = getLandscape(link.scene.problem)!;
    expect(after[3].run.xs).toEqual(runScene(land, link.scene, link.runs[3].config).xs);
  });

  it('a change of the scene recomputes every run', () => {
    const before = ex.results;
    ex.setScene({ steps: 30 });
    expect(ex.results.every((r, i) => r !== before[i] && r.run.xs.length === 31)).toBe(true);
  });
});

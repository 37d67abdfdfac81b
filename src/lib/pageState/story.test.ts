/**
 * The race's sentences say what the trace says: the opening race (v=2) on wells, with the end
 * points' training losses as `npm run --silent trace -- '#v=2'` prints them (SGD and AMSGrad
 * −1.10, SAM −1.03, AdaSAM −0.70) and test losses from the wells formula written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { getLandscape } from '../landscapes';
import { scoreEnds, testShift } from '../landscapes/testView';
import { decodeLink, labRunLabels } from '../state/url';
import { computeRace } from './ExplainerState.svelte';
import { listWords } from '../state/words';
import { isOpeningRace, loss2, raceStory } from './story';

const wellsByHand = (x: number, y: number) =>
  -Math.exp(-((x + 0.8) ** 2 + y ** 2) / 0.08) - 0.7 * Math.exp(-((x - 0.8) ** 2 + y ** 2) / 1.28);

describe('raceStory', () => {
  it('tells the opening race as the trace and the hand formula give it', () => {
    const { link } = decodeLink('#v=2');
    const land = getLandscape('wells')!;
    const results = computeRace(land, link.scene, link.runs);
    const u = testShift(land, link.scene.seed);
    const ends = results.map((r) => r.run.xs[r.run.xs.length - 1]);
    const scores = scoreEnds(land, u, ends);
    const test = ends.map(([x, y]) => loss2(wellsByHand(x - u[0], y - u[1])));
    const story = raceStory(land, labRunLabels(link.runs), results, scores, 200);
    expect(story).toEqual([
      `SGD, AMSGrad and SAM end in the sharp well: training loss −1.10 to −1.03, test loss ${test[0]} to ${test[2]}.`,
      `AdaSAM ends in the flat well: training loss −0.70, test loss ${test[3]}.`,
    ]);
    // the point of the story: on the test view the flat well's run is the best of the four
    expect(scores[3].test).toBeLessThan(Math.min(scores[0].test, scores[1].test, scores[2].test));
    expect(scores[3].train).toBeGreaterThan(Math.max(scores[0].train, scores[1].train));
  });

  it('says when a run diverged or has not arrived', () => {
    const { link } = decodeLink(
      '#v=1&land=rosenbrock&r0=sgd&r0.lr=0.05&r1=adasam&r1.lr=0.001&T=20',
    );
    const land = getLandscape('rosenbrock')!;
    const results = computeRace(land, link.scene, link.runs);
    const scores = results.map((r) =>
      r.run.status === 'ok' ? scoreEnds(land, [0, 0], [r.run.xs[r.run.xs.length - 1]])[0] : null,
    );
    const story = raceStory(land, ['SGD', 'AdaSAM'], results, scores, 20);
    expect(story[0]).toBe(`SGD diverges at step ${results[0].run.divergedAt}.`);
    expect(story[1]).toMatch(/^AdaSAM has not reached a minimum after 20 steps: training loss /);
  });

  it('lists names and prints losses as the page does', () => {
    expect(listWords(['A'])).toBe('A');
    expect(listWords(['A', 'B', 'C'])).toBe('A, B and C');
    expect(loss2(-1.096)).toBe('−1.10');
    expect(loss2(-0.0001)).toBe('0.00');
  });
});

describe('isOpeningRace', () => {
  it('holds for the bare v=2 and v=3 links only', () => {
    expect(isOpeningRace(decodeLink('#v=3').link)).toBe(true);
    expect(isOpeningRace(decodeLink('#v=2').link)).toBe(true);
    expect(isOpeningRace(decodeLink('#v=2&tv=true&ylog=true').link)).toBe(true);
    // version 1's race has SAM at ρ 0.05 and AdaSAM at 0.15: not the race the text explains
    expect(isOpeningRace(decodeLink('#v=1').link)).toBe(false);
    expect(isOpeningRace(decodeLink('#v=2&sigma=0.3').link)).toBe(false);
    expect(isOpeningRace(decodeLink('#v=2&x0=-0.4,0.3').link)).toBe(false);
    expect(isOpeningRace(decodeLink('#v=2&r0=adasam').link)).toBe(false);
  });
});

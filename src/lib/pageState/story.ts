/**
 * The sentences under the race that say what the picture shows (issue 11 item 1): where each run
 * ended, with its training loss and its loss on the test view, generated from the computed race
 * so that the text cannot drift from the picture.
 */
import type { Landscape } from '../landscapes';
import type { EndScore } from '../landscapes/testView';
import { DEFAULT_LINK } from '../state/defaults';
import { sameRuns, type PlaygroundLink } from '../state/url';
import { listWords } from '../state/words';
import type { RaceResult } from './ExplainerState.svelte';

/** Two decimals with a real minus sign, as the charts print them. */
export const loss2 = (x: number): string =>
  Number.isFinite(x)
    ? x
        .toFixed(2)
        .replace('-', '−')
        .replace(/^−0\.00$/, '0.00')
    : String(x);

const range = (xs: number[]): string => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return loss2(lo) === loss2(hi) ? loss2(lo) : `${loss2(lo)} to ${loss2(hi)}`;
};

/** One sentence per outcome (a minimum, no minimum yet, diverged), runs grouped in race order. */
export function raceStory(
  land: Landscape,
  labels: string[],
  results: RaceResult[],
  scores: (EndScore | null)[],
  steps: number,
): string[] {
  const groups = new Map<string, number[]>();
  results.forEach((r, i) => {
    const key = r.error || r.run.status === 'diverged' ? `d${i}` : `m${r.endsIn}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  return [...groups.entries()].map(([key, runs]) => {
    const names = listWords(runs.map((i) => labels[i]));
    const verb = runs.length > 1 ? 'end' : 'ends';
    if (key.startsWith('d')) {
      const r = results[runs[0]];
      return r.error
        ? `${names} could not run: ${r.error}.`
        : `${names} diverges at step ${r.run.divergedAt}.`;
    }
    const train = range(runs.map((i) => scores[i]!.train));
    const test = range(runs.map((i) => scores[i]!.test));
    const k = Number(key.slice(1));
    const where =
      k >= 0
        ? `${verb} in the ${land.minima[k].label ?? land.minima[k].kind}`
        : `${runs.length > 1 ? 'have' : 'has'} not reached a minimum after ${steps} steps`;
    return `${names} ${where}: training loss ${train}, test loss ${test}.`;
  });
}

/**
 * Why the opening race (v=2 and v=3 on wells) ends as it does; true of that race only (checked against
 * its trace in story.test.ts), so the page shows it only for that race.
 */
export const OPENING_STORY = [
  'The sharp well is deeper, so it wins on training loss. On the test view its loss rises far more than the flat well’s: a flat minimum still scores well when the data changes a little, which is why SAM and AdaSAM look for one.',
  'SAM and AdaSAM use the same radius ρ = 0.12. SAM’s step is γ times the gradient, which is small at the bottom of the sharp well, so it stays there; AdaSAM divides each step by the size of past gradients, so its steps stay long enough to carry it over the ridge into the flat well.',
];

/** Whether a link shows the opening race (its runs, start, steps and exact gradients). */
export function isOpeningRace(link: PlaygroundLink): boolean {
  const d = DEFAULT_LINK;
  return (
    link.scene.problem === d.scene.problem &&
    link.scene.steps === d.scene.steps &&
    link.scene.sigma === 0 &&
    link.scene.x0 !== null &&
    d.scene.x0 !== null &&
    link.scene.x0[0] === d.scene.x0[0] &&
    link.scene.x0[1] === d.scene.x0[1] &&
    sameRuns(link.runs, d.runs)
  );
}

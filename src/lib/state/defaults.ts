/**
 * The state a page opens with when the link says nothing: the paper's story on `wells`
 * (spec §8.1): plain descent and AMSGrad settle in the sharp well, AdaSAM leaves for the flat one.
 */
import { recipe } from '../optim/config';
import type { PlaygroundLink } from './url';

export const DEFAULT_LINK: PlaygroundLink = {
  page: '2d',
  scene: { problem: 'wells', x0: null, steps: 100, sigma: 0, batch: 4, seed: 1 },
  view: { view: 'both', anatomyRun: 0, anatomyStep: 0, anatomyPhase: 5 },
  runs: [
    { family: 'sgd', preset: 'paper', config: recipe('sgd', 'paper', { lr: 0.05 }) },
    { family: 'amsgrad', preset: 'paper', config: recipe('amsgrad', 'paper', { lr: 0.05 }) },
    { family: 'sam', preset: 'paper', config: recipe('sam', 'paper', { lr: 0.05, rho: 0.05 }) },
    { family: 'adasam', preset: 'paper', config: recipe('adasam', 'paper', { lr: 0.05, rho: 0.25 }) },
  ],
};

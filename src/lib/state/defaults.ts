/**
 * The state a page opens with when the link says nothing: the paper's story on `wells`
 * (landscapes/race.ts): plain descent and AMSGrad settle in the sharp well, AdaSAM leaves for the
 * flat one.
 */
import { recipe } from '../optim/config';
import { DEFAULT_RACE } from '../landscapes/race';
import {
  GLUE_SETTINGS,
  GLUE_VIEW_SETTINGS,
  LAB_SETTINGS,
  LAB_VIEW_SETTINGS,
  SCENE_SETTINGS,
  VIEW_SETTINGS,
} from './schema';
import { defaultsOf } from './settings';
import type { GlueLinkSettings, LabLinkSettings, PlaygroundLink } from './url';

/**
 * The lab's settings are its rows' defaults. Its race (AdaSAM vs AMSGrad vs SAM vs SGD) on
 * modular addition, a task small enough to train in seconds on any backend: adaptive runs use the
 * torch preset with the usual transformer step size 1e-3; the SGD-family runs need a far larger
 * one to move at all in 300 steps. ρ = 0.05 is SAM's usual radius (Foret et al. 2021).
 */
export const DEFAULT_LAB: LabLinkSettings = {
  ...defaultsOf(LAB_SETTINGS),
  ...defaultsOf(LAB_VIEW_SETTINGS),
  runs: [
    {
      family: 'adasam',
      preset: 'torch',
      config: recipe('adasam', 'torch', { lr: 1e-3, rho: 0.05 }),
    },
    { family: 'amsgrad', preset: 'torch', config: recipe('amsgrad', 'torch', { lr: 1e-3 }) },
    { family: 'sam', preset: 'paper', config: recipe('sam', 'paper', { lr: 0.1, rho: 0.05 }) },
    { family: 'sgd', preset: 'paper', config: recipe('sgd', 'paper', { lr: 0.1 }) },
  ],
};

/**
 * The GLUE page's settings are its rows' defaults (glue.md §4). Its race is the paper's
 * comparison: AdaSAM (ρ 0.01, the largest of the paper's grid) against AMSGrad, both with the
 * fine-tuning step size 1e-5 and the paper preset, as the `glue` command's defaults.
 */
export const DEFAULT_GLUE: GlueLinkSettings = {
  ...defaultsOf(GLUE_SETTINGS),
  ...defaultsOf(GLUE_VIEW_SETTINGS),
  runs: [
    {
      family: 'adasam',
      preset: 'paper',
      config: recipe('adasam', 'paper', { lr: 1e-5, rho: 0.01 }),
    },
    { family: 'amsgrad', preset: 'paper', config: recipe('amsgrad', 'paper', { lr: 1e-5 }) },
  ],
};

/** Every default comes from the settings table; the race is the landscapes' DEFAULT_RACE. */
export const DEFAULT_LINK: PlaygroundLink = {
  page: '2d',
  // the race's start, not the landscape's own: the story needs (−0.5, 0.3) on wells
  scene: {
    ...defaultsOf(SCENE_SETTINGS),
    x0: [...DEFAULT_RACE.x0] as [number, number],
  },
  // the step anatomy opens on the race's AdaSAM run (url.ts defaultAnatomyRun)
  view: {
    ...defaultsOf(VIEW_SETTINGS),
    anatomyRun: DEFAULT_RACE.runs.findIndex((r) => r.family === 'adasam'),
  },
  runs: DEFAULT_RACE.runs.map((r) => ({
    family: r.family,
    preset: r.preset,
    config: recipe(r.family, r.preset, r.overrides),
  })),
  lab: DEFAULT_LAB,
  glue: DEFAULT_GLUE,
};

/**
 * The state a page opens with when the link says nothing, for each link version.
 *
 * Version 1: the paper's story on `wells` (landscapes/race.ts DEFAULT_RACE) is the race on every
 * landscape, with γ = 0.05; the start is the race's on wells and the landscape's own elsewhere.
 * Version 2: each landscape's recommended settings (landscapes/recommended.ts) are its defaults:
 * the same four runs with the landscape's γ and ρ, its steps, its start and its loss axis; the lab
 * keeps version 1's defaults (version-2 lab links were written while they were the lab's).
 * Version 3: the lab's recommended race (lab/recommended.ts) is its default; the 2-D and GLUE pages
 * keep version 2's.
 */
import { recipe, type FamilyName, type OptimizerConfig, type Preset } from '../optim/config';
import { DEFAULT_RACE } from '../landscapes/race';
import { RACE_FAMILIES, recommendedConfig, recommendedFor } from '../landscapes/recommended';
import { LAB_RECOMMENDED } from '../lab/recommended';
import {
  GLUE_SETTINGS,
  GLUE_VIEW_SETTINGS,
  LAB_SETTINGS,
  LAB_VIEW_SETTINGS,
  SCENE_SETTINGS,
  SCHEMA_VERSION,
  VIEW_SETTINGS,
  type LinkVersion,
} from './schema';
import { defaultsOf } from './settings';
import type {
  GlueLinkSettings,
  LabLinkSettings,
  PlaygroundLink,
  RunSpec,
  SceneSettings,
  ViewSettings,
} from './url';

/**
 * What a lab link of version 1 means: the rows' defaults and the race AdaSAM vs AMSGrad vs SAM vs
 * SGD on modular addition, a task small enough to train in seconds on any backend: adaptive runs
 * use the torch preset with the usual transformer step size 1e-3; the SGD-family runs get 0.1.
 * ρ = 0.05 is SAM's usual radius (Foret et al. 2021). Kept as it was: old lab links keep their
 * meaning.
 */
export const DEFAULT_LAB_V1: LabLinkSettings = {
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
 * What a lab link of version 3 means (lab/recommended.ts gives the reasons): a smaller model on
 * modular addition mod 13 over three seeds, SGD and SAM at a γ that trains, the curves against
 * gradient evaluations (a SAM-type step costs two).
 */
export const DEFAULT_LAB: LabLinkSettings = {
  ...DEFAULT_LAB_V1,
  ...LAB_RECOMMENDED.settings,
  ...LAB_RECOMMENDED.view,
  runs: LAB_RECOMMENDED.runs.map((r) => ({ ...r, config: { ...r.config } })),
};

/**
 * The lab's defaults for a link of `version`. Version 2 changed only the 2-D page's defaults; the
 * lab's changed in version 3, so a version-2 lab link means version 1's race.
 */
export const labDefaults = (version: LinkVersion): LabLinkSettings =>
  version === 3 ? DEFAULT_LAB : DEFAULT_LAB_V1;

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

/** What a link of one version means, on one landscape, for every setting it leaves out. */
export interface LinkDefaults {
  scene: SceneSettings;
  /** the view's defaults; anatomyRun is the race's (url.ts defaultAnatomyRun) */
  view: ViewSettings;
  runs: RunSpec[];
  /** the knobs of a run the link names only by family and preset */
  runBase(family: FamilyName, preset: Preset): OptimizerConfig;
}

const V1_RUNS: RunSpec[] = DEFAULT_RACE.runs.map((r) => ({
  family: r.family,
  preset: r.preset,
  config: recipe(r.family, r.preset, r.overrides),
}));

const adasamIndex = (runs: readonly RunSpec[]) =>
  Math.max(
    0,
    runs.findIndex((r) => r.family === 'adasam'),
  );

function v1Defaults(problem: string): LinkDefaults {
  // the race's start, not the landscape's own: the story needs (−0.5, 0.3) on wells
  const x0: [number, number] | null =
    problem === DEFAULT_RACE.landscape ? [...DEFAULT_RACE.x0] : null;
  return {
    scene: { ...defaultsOf(SCENE_SETTINGS), problem, x0 },
    view: { ...defaultsOf(VIEW_SETTINGS), anatomyRun: adasamIndex(V1_RUNS) },
    runs: V1_RUNS.map((r) => ({ ...r, config: { ...r.config } })),
    runBase: (family, preset) => recipe(family, preset),
  };
}

function v2Defaults(problem: string): LinkDefaults {
  const r = recommendedFor(problem);
  const runs: RunSpec[] = RACE_FAMILIES.map((family) => ({
    family,
    preset: 'paper',
    config: recommendedConfig(problem, family, 'paper'),
  }));
  return {
    scene: { ...defaultsOf(SCENE_SETTINGS), problem, steps: r.steps, x0: [...r.x0] },
    view: { ...defaultsOf(VIEW_SETTINGS), anatomyRun: adasamIndex(runs), logLoss: r.logLoss },
    runs,
    runBase: (family, preset) => recommendedConfig(problem, family, preset),
  };
}

/**
 * The defaults of a link of `version` on `problem` (fresh objects: callers may change them).
 * Version 3 changed only the lab's, so on the 2-D page it means what version 2 means.
 */
export const linkDefaults = (version: LinkVersion, problem: string): LinkDefaults =>
  version === 1 ? v1Defaults(problem) : v2Defaults(problem);

const linkOf = (d: LinkDefaults): PlaygroundLink => ({
  page: '2d',
  scene: d.scene,
  view: d.view,
  runs: d.runs,
  lab: DEFAULT_LAB,
  glue: DEFAULT_GLUE,
});

/** The page a bare link opens: the current version's defaults on the default landscape. */
export const DEFAULT_LINK: PlaygroundLink = linkOf(
  linkDefaults(SCHEMA_VERSION, defaultsOf(SCENE_SETTINGS).problem),
);

/** What a bare version-1 link (`#v=1`) opens. */
export const DEFAULT_LINK_V1: PlaygroundLink = linkOf(
  linkDefaults(1, defaultsOf(SCENE_SETTINGS).problem),
);

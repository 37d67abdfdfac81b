/**
 * Switching the landscape on the 2-D page (issue 11 item 2): the new landscape's recommended
 * settings replace the old one's, except where the user changed them. A setting still equal to
 * the old landscape's default is taken to be unchanged by the user.
 *
 * The start always moves to the new landscape's: a point on one landscape means nothing on
 * another (their domains differ).
 */
import { sameValue } from './settings';
import { linkDefaults } from './defaults';
import { SCHEMA_VERSION } from './schema';
import { sameRuns, type PlaygroundLink, type RunSpec } from './url';

/** The link with the landscape `problem` and its defaults wherever the user kept the old ones. */
export function switchLandscape(link: PlaygroundLink, problem: string): PlaygroundLink {
  const from = linkDefaults(SCHEMA_VERSION, link.scene.problem);
  const to = linkDefaults(SCHEMA_VERSION, problem);
  const keep = <T>(value: T, oldDefault: T, newDefault: T): T =>
    sameValue(value as never, oldDefault as never) ? newDefault : value;

  const runs: RunSpec[] = sameRuns(link.runs, from.runs)
    ? to.runs
    : link.runs.map((run) => {
        const before = from.runBase(run.family, run.preset);
        const after = to.runBase(run.family, run.preset);
        return {
          ...run,
          config: {
            ...run.config,
            lr: keep(run.config.lr, before.lr, after.lr),
            rho: keep(run.config.rho, before.rho, after.rho),
          },
        };
      });
  const steps = keep(link.scene.steps, from.scene.steps, to.scene.steps);
  return {
    ...link,
    scene: { ...link.scene, problem, steps, x0: to.scene.x0 },
    view: {
      ...link.view,
      logLoss: keep(link.view.logLoss, from.view.logLoss, to.view.logLoss),
      anatomyStep: Math.min(link.view.anatomyStep, steps - 1),
    },
    runs,
  };
}

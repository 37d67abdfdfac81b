/**
 * Scoring a lesson step's prediction. A "point" question's answer is where run `run` of the
 * step's link ends: computed here exactly as the page and `trace` compute it (trace/runScene),
 * so the distance the student is shown is from the end point the map draws.
 */
import { getLandscape } from '../landscapes';
import { runScene } from '../trace/trace';
import { decodeLink, labRunLabels } from '../state/url';
import type { Answer, LessonStep, PointQuestion } from './lesson';

export interface PointTarget {
  /** the run's name as the page labels it ("AdaSAM") */
  label: string;
  /** x_T, or null when the run diverged (no end point to compare with) */
  end: [number, number] | null;
}

/** Where the question's run ends on the step's link. */
export function pointTarget(link: string, question: PointQuestion): PointTarget {
  const { link: page } = decodeLink(link);
  const land = getLandscape(page.scene.problem);
  const spec = page.runs[question.run];
  if (!land || !spec) return { label: '?', end: null };
  const run = runScene(land, page.scene, spec.config);
  const last = run.xs[run.xs.length - 1];
  return {
    label: labRunLabels(page.runs)[question.run],
    end: run.status === 'ok' ? [last[0], last[1]] : null,
  };
}

export const distance = (a: readonly number[], b: readonly number[]): number =>
  Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Whether a recorded answer is right: the option, or a point within the tolerance of the end. */
export function isRight(step: LessonStep, answer: Answer | null, target?: PointTarget): boolean {
  const q = step.question;
  if (answer === null) return false;
  if (q.kind !== 'point') return answer === q.answer;
  const end = (target ?? pointTarget(step.link, q)).end;
  return Array.isArray(answer) && end !== null && distance(answer, end) <= q.tolerance;
}

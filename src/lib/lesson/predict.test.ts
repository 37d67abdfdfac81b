/**
 * "Click where it will end" questions: the schema names each problem of one; the answer's
 * distance and verdict are checked against hand-computed cases and against the end point the
 * `trace` command prints for the step's link (the page draws the same).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_LESSONS } from './builtin';
import { validateLesson, type LessonStep, type PointQuestion } from './lesson';
import { distance, isRight, pointTarget } from './predict';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const point = (q: Record<string, unknown> = {}, link = '#v=2&land=himmelblau') => ({
  title: 'Where?',
  link,
  text: 'Watch.',
  equation: 'update',
  question: {
    kind: 'point',
    prompt: 'Click where AdaSAM ends',
    run: 3,
    tolerance: 0.75,
    explain: 'There.',
    ...q,
  },
});

describe('a point question in a lesson file', () => {
  it('is accepted with a run of the link and a tolerance, and kept as written', () => {
    const r = validateLesson({ title: 'T', steps: [point()] });
    expect(r.ok ? r.lesson.steps[0].question : r.errors).toEqual(point().question);
  });

  it('names every problem with its step and field', () => {
    const r = validateLesson({
      title: 'T',
      steps: [
        point({ run: 4 }),
        point({ tolerance: 0 }),
        point({ tolerance: 20 }),
        point({ options: ['a', 'b'], answer: 0 }),
        point({}, '#v=1&page=lab'),
        point({ kind: 'drag' }),
        point({ run: '3', tolerance: 'near' }),
      ],
    });
    expect(r.ok ? [] : r.errors).toEqual([
      'step 1, question: "run" must be the number of a run of the step\'s link, counting from 0 (0 to 3); got 4',
      'step 2, question: "tolerance" must be a distance on the map greater than 0 and at most 14.14 (the map\'s diagonal); got 0',
      'step 3, question: "tolerance" must be a distance on the map greater than 0 and at most 14.14 (the map\'s diagonal); got 20',
      'step 4, question: a "point" question has no "options": its answer is where the run ends',
      'step 4, question: a "point" question has no "answer": its answer is where the run ends',
      'step 5, question: a "point" question needs a link to the 2-D explainer (its map); this link opens the lab page',
      expect.stringMatching(/^step 5, question: "run" must be the number of a run/),
      'step 6, question: "kind" must be "choice" (pick an option) or "point" (click on the map); got "drag"',
      'step 7, question: "run" must be the number of a run of the step\'s link, counting from 0 (0 to 3); got "3"',
      expect.stringMatching(/^step 7, question: "tolerance" must be a distance .*; got "near"$/),
    ]);
  });
});

describe('scoring a prediction', () => {
  it('distance is the Euclidean one (3-4-5)', () => {
    expect(distance([1, 1], [4, 5])).toBe(5);
  });

  it('a point is right within the tolerance of where the run ends, as trace prints it', () => {
    const link = '#v=2&land=himmelblau';
    const out = JSON.parse(
      execFileSync(ROOT + 'node_modules/.bin/tsx', ['scripts/trace.ts', link], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { optimizer: string; trace: { x: number[][] } }[];
    const xT = out[3].trace.x.at(-1)!;
    const r = validateLesson({ title: 'T', steps: [point()] });
    if (!r.ok) throw new Error(r.errors.join('; '));
    const step = r.lesson.steps[0];
    const target = pointTarget(link, step.question as PointQuestion);
    expect(out[3].optimizer).toBe('adasam');
    expect(target).toEqual({ label: 'AdaSAM', end: xT });
    // 0.7 and 0.8 away along x (the tolerance is 0.75)
    expect(isRight(step, [xT[0] + 0.7, xT[1]])).toBe(true);
    expect(isRight(step, [xT[0], xT[1] - 0.8])).toBe(false);
    expect(isRight(step, 3)).toBe(false);
    expect(isRight(step, null)).toBe(false);
  });

  it('the built-in lesson: each point question’s end is where its explanation says', () => {
    const r = validateLesson(BUILTIN_LESSONS['sam-adasam']);
    if (!r.ok) throw new Error(r.errors.join('; '));
    const points = r.lesson.steps.filter(
      (s): s is LessonStep & { question: PointQuestion } => s.question.kind === 'point',
    );
    expect(points.length).toBeGreaterThan(0);
    for (const s of points) {
      const { end } = pointTarget(s.link, s.question);
      const said = `(${end![0].toFixed(2)}, ${end![1].toFixed(2)})`.replace(/-/g, '−');
      expect(s.question.explain).toContain(said);
    }
  });

  it('a choice question is right on its option only', () => {
    const r = validateLesson({
      title: 'T',
      steps: [
        {
          title: 'A',
          link: '#v=2',
          text: 't',
          equation: 'gradient',
          question: { prompt: 'Q', options: ['a', 'b'], answer: 1, explain: 'e' },
        },
      ],
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(isRight(r.lesson.steps[0], 1)).toBe(true);
    expect(isRight(r.lesson.steps[0], 0)).toBe(false);
  });
});

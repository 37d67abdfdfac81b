/**
 * Lessons (issue 11 item 3): an ordered list of steps, each a share link with plain text, one
 * built-in equation and a predict-then-reveal question. A lesson is plain JSON (the built-in
 * one is src/lessons/sam-adasam.json) and travels as a file or inside one link.
 *
 * validateLesson reads untrusted JSON: it never throws, keeps only the fields it knows, and names
 * every problem with its place ("step 3, question: answer must be …"). Text stays text: the
 * page shows it with text nodes only, never as markup.
 */
import { getLandscape } from '../landscapes';
import { decodeLink, type PlaygroundLink } from '../state/url';
import { EQUATIONS, type EquationId } from './equations';

/** A multiple-choice question (a file may leave `kind` out: this is the default). */
export interface ChoiceQuestion {
  kind?: 'choice';
  prompt: string;
  options: string[];
  /** index into options */
  answer: number;
  /** shown after the reveal */
  explain: string;
}

/**
 * "Click where it will end": the student marks a point on the 2-D map; after the reveal the page
 * shows its distance from where run `run` of the step's link ends, right within `tolerance`
 * (in the landscape's coordinates).
 */
export interface PointQuestion {
  kind: 'point';
  prompt: string;
  /** the run of the step's link (counting from 0) whose end point is the answer */
  run: number;
  tolerance: number;
  explain: string;
}

export type Question = ChoiceQuestion | PointQuestion;

/** A student's recorded answer: an option's index, or a point on the map. */
export type Answer = number | [number, number];

export interface LessonStep {
  title: string;
  /** a share link of the playground (its hash part, e.g. "#v=3&land=wells") */
  link: string;
  text: string;
  equation: EquationId;
  question: Question;
}

export interface Lesson {
  title: string;
  steps: LessonStep[];
}

export type Checked = { ok: true; lesson: Lesson } | { ok: false; errors: string[] };

export const MAX_STEPS = 20;
const MAX_TEXT = 1200;
const MAX_SHORT = 200;
const MAX_OPTIONS = 6;

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** A string field: present, a string, not empty, at most `max` characters. */
function text(
  obj: Record<string, unknown>,
  key: string,
  where: string,
  max: number,
  errors: string[],
): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.trim() === '') {
    errors.push(`${where}: "${key}" must be a non-empty text`);
    return '';
  }
  if (v.length > max) errors.push(`${where}: "${key}" is ${v.length} characters; at most ${max}`);
  return v;
}

function checkQuestion(
  q: unknown,
  where: string,
  errors: string[],
  link: PlaygroundLink | null,
): Question {
  const out: ChoiceQuestion = { prompt: '', options: [], answer: 0, explain: '' };
  if (!isRecord(q)) {
    errors.push(`${where}: "question" must be an object with prompt, options, answer, explain`);
    return out;
  }
  if (q.kind !== undefined && q.kind !== 'choice' && q.kind !== 'point') {
    errors.push(
      `${where}, question: "kind" must be "choice" (pick an option) or "point" (click on the map); got ${JSON.stringify(q.kind)?.slice(0, 40)}`,
    );
    return out;
  }
  out.prompt = text(q, 'prompt', where + ', question', MAX_SHORT * 2, errors);
  out.explain = text(q, 'explain', where + ', question', MAX_TEXT, errors);
  if (q.kind === 'point') return checkPoint(q, out.prompt, out.explain, where, errors, link);
  if (
    !Array.isArray(q.options) ||
    q.options.length < 2 ||
    q.options.length > MAX_OPTIONS ||
    !q.options.every((o) => typeof o === 'string' && o.trim() !== '' && o.length <= MAX_SHORT)
  ) {
    errors.push(
      `${where}, question: "options" must be a list of 2 to ${MAX_OPTIONS} non-empty texts (at most ${MAX_SHORT} characters each)`,
    );
  } else out.options = q.options as string[];
  const n = out.options.length;
  if (
    typeof q.answer !== 'number' ||
    !Number.isInteger(q.answer) ||
    q.answer < 0 ||
    q.answer >= Math.max(n, 1)
  )
    errors.push(
      `${where}, question: "answer" must be the number of the right option, counting from 0 (0 to ${Math.max(0, n - 1)}); got ${JSON.stringify(q.answer)}`,
    );
  else out.answer = q.answer;
  return out;
}

/** A "click where it will end" question: a run of the step's 2-D race and a tolerance on its map. */
function checkPoint(
  q: Record<string, unknown>,
  prompt: string,
  explain: string,
  where: string,
  errors: string[],
  link: PlaygroundLink | null,
): PointQuestion {
  const out: PointQuestion = { kind: 'point', prompt, run: 0, tolerance: 1, explain };
  const at = `${where}, question`;
  if (link && link.page !== '2d')
    errors.push(
      `${at}: a "point" question needs a link to the 2-D explainer (its map); this link opens the ${link.page} page`,
    );
  const runs = link?.page === '2d' ? link.runs.length : 0;
  if (typeof q.run !== 'number' || !Number.isInteger(q.run) || q.run < 0 || q.run >= runs)
    errors.push(
      `${at}: "run" must be the number of a run of the step's link, counting from 0${runs > 0 ? ` (0 to ${runs - 1})` : ''}; got ${JSON.stringify(q.run)?.slice(0, 40)}`,
    );
  else out.run = q.run;
  const land = link?.page === '2d' ? getLandscape(link.scene.problem) : undefined;
  const [[a, b], [c, d]] = land?.domain ?? [
    [0, Infinity],
    [0, Infinity],
  ];
  const span = Math.hypot(b - a, d - c);
  if (
    typeof q.tolerance !== 'number' ||
    !Number.isFinite(q.tolerance) ||
    q.tolerance <= 0 ||
    q.tolerance > span
  )
    errors.push(
      `${at}: "tolerance" must be a distance on the map greater than 0${Number.isFinite(span) ? ` and at most ${Number(span.toFixed(2))} (the map's diagonal)` : ''}; got ${JSON.stringify(q.tolerance)?.slice(0, 40)}`,
    );
  else out.tolerance = q.tolerance;
  for (const key of ['options', 'answer'])
    if (key in q)
      errors.push(`${at}: a "point" question has no "${key}": its answer is where the run ends`);
  return out;
}

function checkStep(s: unknown, i: number, errors: string[]): LessonStep {
  const where = `step ${i + 1}`;
  if (!isRecord(s)) {
    errors.push(`${where} must be an object with title, link, text, equation, question`);
    return {
      title: '',
      link: '',
      text: '',
      equation: 'gradient',
      question: checkQuestion({}, where, [], null),
    };
  }
  const link = text(s, 'link', where, 4096, errors);
  let decoded: PlaygroundLink | null = null;
  if (link) {
    if (!link.startsWith('#')) errors.push(`${where}: "link" must be a share link starting with #`);
    else {
      const { ignored, link: page } = decodeLink(link);
      decoded = page;
      for (const ig of ignored)
        errors.push(
          `${where}: the link's ${ig.key}=${ig.value.slice(0, 40)} is not understood (${ig.reason})`,
        );
    }
  }
  const equation = s.equation;
  if (typeof equation !== 'string' || !Object.hasOwn(EQUATIONS, equation))
    errors.push(
      `${where}: "equation" must be one of ${Object.keys(EQUATIONS).join(', ')}; got ${JSON.stringify(equation)?.slice(0, 40)}`,
    );
  return {
    title: text(s, 'title', where, MAX_SHORT, errors),
    link,
    text: text(s, 'text', where, MAX_TEXT, errors),
    equation: (typeof equation === 'string' && Object.hasOwn(EQUATIONS, equation)
      ? equation
      : 'gradient') as EquationId,
    question: checkQuestion(s.question, where, errors, decoded),
  };
}

/** Checks a parsed lesson; never throws. */
export function validateLesson(json: unknown): Checked {
  const errors: string[] = [];
  if (!isRecord(json))
    return { ok: false, errors: ['a lesson must be a JSON object with "title" and "steps"'] };
  const title = text(json, 'title', 'lesson', MAX_SHORT, errors);
  if (!Array.isArray(json.steps) || json.steps.length === 0 || json.steps.length > MAX_STEPS) {
    errors.push(`lesson: "steps" must be a list of 1 to ${MAX_STEPS} steps`);
    return { ok: false, errors };
  }
  const steps = json.steps.map((s, i) => checkStep(s, i, errors));
  return errors.length ? { ok: false, errors } : { ok: true, lesson: { title, steps } };
}

/** Parses and checks a lesson file's text. */
export function parseLesson(source: string): Checked {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (e) {
    return {
      ok: false,
      errors: [`the file is not valid JSON: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
  return validateLesson(json);
}

/** The lesson as the JSON file a teacher downloads (and the built-in one is). */
export const lessonJson = (lesson: Lesson): string => JSON.stringify(lesson, null, 2) + '\n';

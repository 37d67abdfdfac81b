/**
 * Lesson files: the built-in lesson passes the checks every teacher's file goes through; bad
 * files get one clear message per problem, naming the step and the field; a lesson survives the
 * trip through a link.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAB_SETTINGS, LAB_VIEW_SETTINGS } from '../state/schema';
import { EQUATION_IDS } from './equations';
import { lessonJson, parseLesson, validateLesson, type Lesson } from './lesson';
import { joinLesson, lessonSource, readLessonSource, splitLesson } from './lessonLink';

const builtinText = readFileSync(new URL('../../lessons/sam-adasam.json', import.meta.url), 'utf8');

const step = (over: Record<string, unknown> = {}) => ({
  title: 'A step',
  link: '#v=2',
  text: 'Some text.',
  equation: 'gradient',
  question: { prompt: 'Which?', options: ['a', 'b'], answer: 1, explain: 'Because.' },
  ...over,
});

describe('the built-in lesson', () => {
  it('is a valid lesson file of 6 to 10 steps, each with a link the page reads in full', () => {
    const checked = parseLesson(builtinText);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    if (!checked.ok) return;
    expect(checked.lesson.steps.length).toBeGreaterThanOrEqual(6);
    expect(checked.lesson.steps.length).toBeLessThanOrEqual(10);
    for (const s of checked.lesson.steps) expect(EQUATION_IDS).toContain(s.equation);
    // the file is what lessonJson writes: a teacher's download has the same shape
    expect(lessonJson(checked.lesson)).toBe(lessonJson(JSON.parse(builtinText) as Lesson));
  });
});

describe('the lab’s lesson', () => {
  const labText = readFileSync(
    new URL('../../lessons/transformer-lab.json', import.meta.url),
    'utf8',
  );
  it('is a valid lesson of 4 to 6 lab steps, each with one equation and a question', () => {
    const checked = parseLesson(labText);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    if (!checked.ok) return;
    expect(checked.lesson.steps.length).toBeGreaterThanOrEqual(4);
    expect(checked.lesson.steps.length).toBeLessThanOrEqual(6);
    expect(lessonJson(checked.lesson)).toBe(lessonJson(JSON.parse(labText) as Lesson));
    expect(readLessonSource('builtin:transformer-lab')).toEqual(checked);
  });

  it('writes every lab setting into each link, with its version, so new defaults cannot change it', () => {
    const checked = parseLesson(labText);
    if (!checked.ok) throw new Error(checked.errors.join('; '));
    const keys = [...LAB_SETTINGS, ...LAB_VIEW_SETTINGS].map((r) => r.url);
    for (const { link } of checked.lesson.steps) {
      const params = new URLSearchParams(link.slice(1));
      expect(params.get('v')).toBe('1');
      expect(params.get('page')).toBe('lab');
      for (const k of keys) expect(params.has(k), `${k} in ${link}`).toBe(true);
      // each run names its preset and its γ
      for (let i = 0; params.has(`lab.r${i}`); i++) {
        expect(params.has(`lab.r${i}.preset`)).toBe(true);
        expect(params.has(`lab.r${i}.lr`)).toBe(true);
      }
      expect(params.has('lab.r3')).toBe(true);
    }
  });
});

describe('validateLesson', () => {
  it('accepts a minimal lesson', () => {
    expect(validateLesson({ title: 'T', steps: [step()] }).ok).toBe(true);
  });

  it('names each problem with its step and field', () => {
    const r = validateLesson({
      title: '',
      steps: [
        step({ equation: 'E=mc^2' }),
        step({ link: '#v=2&r0.lr=abc&r0=sgd&zzz=1' }),
        step({ link: 'https://example.org/' }),
        step({ question: { prompt: 'Q', options: ['only one'], answer: 0, explain: 'x' } }),
        step({ question: { prompt: 'Q', options: ['a', 'b', 'c'], answer: 3, explain: 'x' } }),
        'not a step',
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'lesson: "title" must be a non-empty text',
      expect.stringMatching(
        /^step 1: "equation" must be one of sam-objective, gradient, .*; got "E=mc\^2"$/,
      ),
      expect.stringMatching(/^step 2: the link's r0\.lr=abc is not understood \(lr must be/),
      "step 2: the link's zzz=1 is not understood (unknown setting)",
      'step 3: "link" must be a share link starting with #',
      'step 4, question: "options" must be a list of 2 to 6 non-empty texts (at most 200 characters each)',
      'step 5, question: "answer" must be the number of the right option, counting from 0 (0 to 2); got 3',
      'step 6 must be an object with title, link, text, equation, question',
    ]);
  });

  it('refuses what is not a lesson, with a message', () => {
    expect(parseLesson('{"title": ')).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^the file is not valid JSON/)],
    });
    expect(validateLesson([1, 2])).toEqual({
      ok: false,
      errors: ['a lesson must be a JSON object with "title" and "steps"'],
    });
    expect(validateLesson({ title: 'T', steps: [] })).toEqual({
      ok: false,
      errors: ['lesson: "steps" must be a list of 1 to 20 steps'],
    });
    const long = validateLesson({ title: 'T', steps: [step({ text: 'x'.repeat(1201) })] });
    expect(long).toEqual({
      ok: false,
      errors: ['step 1: "text" is 1201 characters; at most 1200'],
    });
  });

  it('keeps only the fields it knows; markup stays as text', () => {
    const r = validateLesson({
      title: '<img src=x onerror=alert(1)>',
      extra: 1,
      steps: [step({ onload: 'x', text: '<script>alert(1)</script>' })],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.lesson)).toEqual(['title', 'steps']);
    expect(Object.keys(r.lesson.steps[0])).toEqual([
      'title',
      'link',
      'text',
      'equation',
      'question',
    ]);
    expect(r.lesson.steps[0].text).toBe('<script>alert(1)</script>');
  });
});

describe('a lesson in a link', () => {
  it('round-trips through lessonSource, with non-ASCII text', () => {
    const lesson = validateLesson({ title: 'ρ, η and γ — übung', steps: [step()] });
    expect(lesson.ok).toBe(true);
    if (!lesson.ok) return;
    const source = lessonSource(lesson.lesson);
    expect(source).toMatch(/^data:[A-Za-z0-9_-]+$/);
    expect(readLessonSource(source)).toEqual(lesson);
  });

  it('reads the built-in lesson by name and refuses damaged or unknown sources', () => {
    expect(readLessonSource('builtin:sam-adasam').ok).toBe(true);
    expect(readLessonSource('builtin:nope')).toMatchObject({ ok: false });
    expect(readLessonSource('data:%%%')).toEqual({
      ok: false,
      errors: ['the lesson in this link is damaged (not base64url-encoded UTF-8)'],
    });
    expect(readLessonSource('data:' + btoa('not json'))).toMatchObject({ ok: false });
    expect(readLessonSource('http://evil.example/lesson.json')).toMatchObject({ ok: false });
    expect(readLessonSource('data:' + 'A'.repeat(40000))).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/at most 32768/)],
    });
  });

  it('splits the lesson keys off the page link and joins them back', () => {
    const split = splitLesson('https://h/#v=2&land=himmelblau&lesson=builtin%3Asam-adasam&ls=3');
    expect(split).toEqual({ source: 'builtin:sam-adasam', step: 3, rest: '#v=2&land=himmelblau' });
    expect(splitLesson('#v=2&ls=abc').step).toBe(0);
    expect(splitLesson('#v=2').source).toBeNull();
    const joined = joinLesson('v=2&land=himmelblau', 'builtin:sam-adasam', 3);
    expect(splitLesson('#' + joined)).toEqual(split);
  });
});

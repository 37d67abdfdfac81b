/**
 * A lesson inside a share link: `lesson=<source>&ls=<step>` beside the page's own keys. The
 * source is `builtin:<id>` for a lesson that ships with the playground, or `data:<base64url of
 * the lesson's JSON>` for a teacher's own lesson shared as one link. The page's keys are read by
 * url.ts as usual; these two are split off first, so the page link's limits and checks still apply.
 */
import { BUILTIN_LESSONS } from './builtin';
import { validateLesson, type Checked, type Lesson } from './lesson';

export const LESSON_KEY = 'lesson';
export const STEP_KEY = 'ls';
/** A lesson in a link is at most this long (the page's own part has its own limit). */
export const MAX_LESSON_PARAM = 32768;

export interface LessonParams {
  /** the lesson's source, or null when the link has none */
  source: string | null;
  /** the step shown, counting from 0 */
  step: number;
  /** the link without the lesson keys, for decodeLink */
  rest: string;
}

/** Splits the lesson keys off a link (whole URL, hash or bare parameters). */
export function splitLesson(input: string): LessonParams {
  const hash = input.indexOf('#');
  const params = new URLSearchParams(hash >= 0 ? input.slice(hash + 1) : input);
  const source = params.get(LESSON_KEY);
  const stepText = params.get(STEP_KEY) ?? '0';
  params.delete(LESSON_KEY);
  params.delete(STEP_KEY);
  const step = /^\d{1,3}$/.test(stepText) ? Number(stepText) : 0;
  return { source, step, rest: '#' + params.toString() };
}

/** The page link's parameters (encodeLink's output) with the lesson keys added. */
export function joinLesson(pageParams: string, source: string, step: number): string {
  const params = new URLSearchParams(pageParams);
  params.set(LESSON_KEY, source);
  params.set(STEP_KEY, String(step));
  return params.toString();
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(bin, (c) => c.charCodeAt(0)),
    );
  } catch {
    return null;
  }
}

/** The source value that carries a whole lesson in a link. */
export const lessonSource = (lesson: Lesson): string =>
  'data:' + toBase64Url(JSON.stringify(lesson));

/** The lesson a source names, checked; never throws. */
export function readLessonSource(source: string): Checked {
  if (source.length > MAX_LESSON_PARAM)
    return {
      ok: false,
      errors: [
        `the lesson in this link is ${source.length} characters; at most ${MAX_LESSON_PARAM}`,
      ],
    };
  if (source.startsWith('builtin:')) {
    const id = source.slice('builtin:'.length);
    const found = Object.hasOwn(BUILTIN_LESSONS, id) ? BUILTIN_LESSONS[id] : undefined;
    return found
      ? validateLesson(found)
      : {
          ok: false,
          errors: [
            `there is no built-in lesson "${id.slice(0, 40)}"; there are ${Object.keys(BUILTIN_LESSONS).join(', ')}`,
          ],
        };
  }
  if (source.startsWith('data:')) {
    const text = fromBase64Url(source.slice('data:'.length));
    if (text === null)
      return {
        ok: false,
        errors: ['the lesson in this link is damaged (not base64url-encoded UTF-8)'],
      };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, errors: ['the lesson in this link is damaged (not JSON)'] };
    }
    return validateLesson(json);
  }
  return { ok: false, errors: ['a lesson source starts with builtin: or data:'] };
}

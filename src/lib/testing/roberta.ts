/**
 * The RoBERTa / GLUE fixtures (tests/fixtures/roberta, copied from shared/roberta so that the
 * project tests itself without ../shared). Used by the unit tests only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROBERTA_DIR = fileURLToPath(
  new URL('../../../tests/fixtures/roberta/', import.meta.url),
);

/** Bytes of a fixture file (path relative to tests/fixtures/roberta). */
export const fixtureBytes = (path: string): Uint8Array =>
  new Uint8Array(readFileSync(ROBERTA_DIR + path));

export const fixtureText = (path: string): string => readFileSync(ROBERTA_DIR + path, 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test names the shape it reads
export const fixtureJson = <T = any>(path: string): T => JSON.parse(fixtureText(path)) as T;

/**
 * The one error type of the GLUE library: bad input (a file, a config key, a column, a label).
 * Its message is a single line naming what is wrong, so the `glue` command can print it as is and
 * exit with status 2 (spec glue.md §5), and the page can show it without losing what is loaded.
 */
export class GlueInputError extends Error {
  override readonly name = 'GlueInputError';
}

/** Throws a GlueInputError whose message starts with `where` (a file name, a key, a row). */
export function fail(where: string, what: string): never {
  throw new GlueInputError(where ? `${where}: ${what}` : what);
}

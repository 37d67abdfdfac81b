/**
 * The public-domain texts of the char-LM task, bundled by Vite as strings (`?raw`), so nothing
 * is fetched at run time. Node code (tests, scripts) reads the same files with fs instead.
 */
import alice from '../../../../static/texts/alice.txt?raw';
import type { TextName } from '../../lab/types';

export const TEXTS: Record<TextName, string> = { alice };

/** The Python sources read from src/lib/export/python (Node: the export command and the tests). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SOURCE_FILES, type PythonSources } from './sources';

export const PYTHON_DIR = fileURLToPath(new URL('./python/', import.meta.url));

export function readPythonSources(): PythonSources {
  const read = (file: string) => readFileSync(PYTHON_DIR + file, 'utf8');
  return {
    adasam: read(SOURCE_FILES.adasam),
    detmath: read(SOURCE_FILES.detmath),
    explainer: read(SOURCE_FILES.explainer),
    lab: read(SOURCE_FILES.lab),
  };
}

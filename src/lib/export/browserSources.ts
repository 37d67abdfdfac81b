/** The Python sources bundled by Vite as strings (`?raw`), for the pages' "Export → PyTorch" button. */
import adasam from './python/adasam.py?raw';
import detmath from './python/detmath.py?raw';
import explainer from './python/explainer.py?raw';
import lab from './python/lab.py?raw';
import type { PythonSources } from './sources';

export const PYTHON_SOURCES: PythonSources = { adasam, detmath, explainer, lab };

/**
 * The lessons that ship with the playground: each is a lesson JSON file like the ones teachers
 * write (src/lessons/), checked by the same validateLesson when opened.
 */
import samAdasam from '../../lessons/sam-adasam.json';
import transformerLab from '../../lessons/transformer-lab.json';

export const BUILTIN_LESSONS: Readonly<Record<string, unknown>> = {
  'sam-adasam': samAdasam,
  /** the lab's own short lesson: what the η histograms and sharpness show */
  'transformer-lab': transformerLab,
};

/** The lesson the page offers first. */
export const DEFAULT_LESSON = 'builtin:sam-adasam';

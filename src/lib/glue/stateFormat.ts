/**
 * The `format` metadata of an optimizer-state file (tf/glue/checkpoint.ts writes it); here, apart
 * from tfjs, so that the page can tell a state file from a weights file by its header.
 */
export const STATE_FORMAT = 'adasam-glue-state-1';

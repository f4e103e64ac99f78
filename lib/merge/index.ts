export { merge3, DEFAULT_LABELS } from './merge3.js';
export type { Merge3Options, Merge3Result, MergeLabels, MergeStrategy } from './merge3.js';
export { unifiedDiff } from './diff.js';
export type { UnifiedDiffOptions } from './diff.js';
export { countConflictMarkers, detectEol, splitText, joinText, splitKeepEnds } from './text.js';
export type { Eol, SplitText } from './text.js';

// The templates of a preset's `files` entries: read when the preset document is read, from inside
// the directory of that document (lexically and after resolving links), regular files only,
// capped; each checked to use the logic-less tag subset (a preset is data, never executed).
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { isWithin, readRegularFile } from '../fs/safe.js';
import { escapeControl } from '../text/escape.js';
import { templateProblem } from './extend.js';
import type { LoadedPresetFile } from './extend-types.js';
import { PresetError, type PresetDoc } from './types.js';

/** Largest preset template read (a CODEOWNERS entry, a SECURITY.md pointer: small files). */
export const MAX_TEMPLATE_BYTES = 64 * 1024;

/** `doc` with each files[].template's text attached (LoadedPresetFile); throws PresetError naming the field. */
export function loadTemplates(doc: PresetDoc, dir: string, display: string): PresetDoc {
  if (!doc.files?.length) return doc;
  let dirReal: string;
  try {
    dirReal = realpathSync(dir);
  } catch {
    throw new PresetError(`preset ${display}: files: the preset's directory cannot be resolved`);
  }
  const files: LoadedPresetFile[] = doc.files.map((f, i) => {
    const field = `preset ${display}: files[${i}].template`;
    const abs = resolve(dirReal, f.template);
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      throw new PresetError(`${field}: no such file next to the preset`);
    }
    if (!isWithin(dirReal, abs) || !isWithin(dirReal, real))
      throw new PresetError(`${field}: points outside the preset's directory`);
    const r = readRegularFile(real, { maxBytes: MAX_TEMPLATE_BYTES });
    if (!r.ok) throw new PresetError(`${field}: cannot read: ${r.why === 'absent' ? 'no such file' : r.message}`);
    const problem = templateProblem(r.text);
    if (problem) throw new PresetError(`${field}: ${escapeControl(problem)}`);
    return { ...f, text: r.text };
  });
  return { ...doc, files };
}

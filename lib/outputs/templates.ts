// The one loader for the EJS templates shipped in the package's templates/ folder (read and
// compiled once, cached). Templates only place values; logic stays in TypeScript.
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import ejs from 'ejs';
import { packagePath } from '../core/paths.js';

/** templates/ at the package root (absolute, with a trailing slash). */
export const TEMPLATES_DIR = packagePath('templates') + '/';

const cache = new Map<string, ejs.TemplateFunction>();

/** Partials every Dockerfile template may include by name (`include('_header', locals)`). */
const VIEWS = [TEMPLATES_DIR + 'dockerfile'];

/**
 * The compiled templates/<rel> (or an absolute path: a runtime's own template directory); its
 * include()s resolve next to it, then in templates/dockerfile/ (the shared Dockerfile partials).
 */
export function template(rel: string): ejs.TemplateFunction {
  let fn = cache.get(rel);
  if (!fn) {
    const filename = isAbsolute(rel) ? rel : TEMPLATES_DIR + rel;
    fn = ejs.compile(readFileSync(filename, 'utf8'), { filename, views: VIEWS });
    cache.set(rel, fn);
  }
  return fn;
}

/** Render templates/<rel> with data. */
export function renderTemplate(rel: string, data: Record<string, unknown>): string {
  return template(rel)(data);
}

/** An HCL string literal: JSON escapes plus HCL's own template sequences (${ and %{) kept literal. */
export function hcl(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

/** A POSIX shell single-quoted word. */
export function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// Loading the EJS templates shipped in the package's templates/ folder (read once, cached).
import { readFileSync } from 'node:fs';
import ejs from 'ejs';
import { packagePath } from '../../core/paths.js';
import { pathToFileURL } from 'node:url';

/** templates/ at the package root: this file is dist/lib/render/providers/templates.js once compiled. */
export const TEMPLATES_DIR = pathToFileURL(packagePath('templates') + '/');

const cache = new Map<string, ejs.TemplateFunction>();

/** Render templates/<rel> with data. Templates only place values; logic stays in TypeScript. */
export function renderTemplate(rel: string, data: Record<string, unknown>): string {
  let fn = cache.get(rel);
  if (!fn) {
    const text = readFileSync(new URL(rel, TEMPLATES_DIR), 'utf8');
    fn = ejs.compile(text, { filename: rel, rmWhitespace: false, strict: false });
    cache.set(rel, fn);
  }
  return fn(data);
}

/** An HCL string literal: JSON escapes plus HCL's own template sequences (${ and %{) kept literal. */
export function hcl(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

/** A POSIX shell single-quoted word. */
export function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// Every import shown in README.md and docs/**/*.md resolves through the package's "exports" (as a
// user's `import ... from 'generator-secure-container'` would) and names something the resolved
// module exports. Deep paths that "exports" does not expose fail here, as they would for users.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packagePath } from '../../lib/core/paths.js';

const PACKAGE = 'generator-secure-container';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

interface DocImport {
  file: string;
  specifier: string;
  names: string[];
}

/** `import { a, b as c, type T } from 'x'` statements (one or several lines) in a Markdown file. */
function docImports(file: string): DocImport[] {
  const text = readFileSync(file, 'utf8');
  const out: DocImport[] = [];
  for (const m of text.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm)) {
    const names = m[1]
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '' && !n.startsWith('type '))
      .map((n) => n.split(/\s+as\s+/)[0]);
    out.push({ file: file.slice(packagePath('.').length + 1), specifier: m[2], names });
  }
  return out;
}

const root = packagePath('.');
const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];
const imports = files.flatMap(docImports);
// resolved from inside the package, so the name resolves to this package through its own "exports"
const requireFromPackage = createRequire(join(root, 'package.json'));

describe('imports shown in the docs', () => {
  it('are found (the docs show the API)', () => {
    expect(imports.length).toBeGreaterThan(0);
  });

  it.each(imports.map((i) => [`${i.file}: ${i.specifier}`, i] as const))('%s', async (_label, i) => {
    expect(i.specifier === PACKAGE || i.specifier.startsWith(`${PACKAGE}/`)).toBe(true);
    const resolved = requireFromPackage.resolve(i.specifier);
    expect(existsSync(resolved)).toBe(true);
    const mod = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
    const missing = i.names.filter((n) => !(n in mod));
    expect(missing).toEqual([]);
  });
});

// The runtime boundary (issue 9, docs/contributing.md): everything about one runtime lives in
// lib/runtimes/<runtime>/ (and its templates in templates/runtimes/<runtime>/). Outside them no code
// or template compares runtime names or imports a runtime's own modules; it asks the profile.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packagePath } from '../../lib/core/paths.js';
import { runtimeNames } from '../../lib/runtimes/index.js';

const ROOT = packagePath('.');
const SCANNED = ['lib', 'generators', 'bin', 'templates'];
const OWN = [/^lib\/runtimes\//, /^templates\/runtimes\//];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(?:ts|ejs|mjs|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The ways code singles out a runtime by name. */
function offences(text: string, names: readonly string[]): string[] {
  const n = names.join('|');
  const patterns = [
    new RegExp(String.raw`(?:===?|!==?)\s*['"\x60](?:${n})['"\x60]`, 'g'),
    new RegExp(String.raw`['"\x60](?:${n})['"\x60]\s*(?:===?|!==?)`, 'g'),
    new RegExp(String.raw`\bcase\s+['"\x60](?:${n})['"\x60]\s*:`, 'g'),
    /Record<Runtime\b/g,
    /from\s+['"][^'"]*\/runtimes\/(?!index\.js|profile\.js)[^'"]+['"]/g,
  ];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[0]));
}

describe('runtime boundary', () => {
  it('the offence patterns catch what they are for', () => {
    const names = ['node', 'go'];
    expect(offences(`if (a.runtime === 'go') x();`, names)).toHaveLength(1);
    expect(offences(`'node' !== r`, names)).toHaveLength(1);
    expect(offences(`switch (r) { case "node": }`, names)).toHaveLength(1);
    expect(offences(`const X: Record<Runtime, string> = {}`, names)).toHaveLength(1);
    expect(offences(`import { go } from '../runtimes/go/profile.js';`, names)).toHaveLength(1);
    expect(offences(`<% if (s.runtime === 'node') { %>`, names)).toHaveLength(1);
    expect(offences(`import { profileFor } from '../runtimes/index.js'; cmd === 'nodejs'`, names)).toEqual([]);
  });

  it('no runtime-name comparison or runtime-module import outside lib/runtimes/ and templates/runtimes/', () => {
    const names = runtimeNames();
    const found: string[] = [];
    for (const top of SCANNED) {
      let list: string[];
      try {
        list = files(join(ROOT, top));
      } catch {
        continue;
      }
      for (const f of list) {
        const rel = relative(ROOT, f).split('\\').join('/');
        if (OWN.some((re) => re.test(rel))) continue;
        for (const o of offences(readFileSync(f, 'utf8'), names)) found.push(`${rel}: ${o}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('every runtime has its folder, its templates and a row', () => {
    for (const r of runtimeNames()) {
      const dir = readdirSync(packagePath('lib', 'runtimes', r));
      expect(dir).toEqual(expect.arrayContaining(['profile.ts', 'detect.ts']));
      expect(readdirSync(packagePath('templates', 'runtimes', r)).sort()).toEqual([
        'Dockerfile.ejs',
        'secrets-helper.ejs',
      ]);
    }
  });
});

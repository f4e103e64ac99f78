// `npm run docs:rules`: regenerate docs/rules/*.md from the rules' metadata.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderAllDocs } from './docs.js';

const root = process.argv[2] ?? process.cwd();
for (const [rel, text] of renderAllDocs()) {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}
console.log(`wrote ${renderAllDocs().size} files under ${join(root, 'docs/rules')}`);

#!/usr/bin/env node
// `npm run docs`: regenerate the README's generated sections and docs/rules/ from metadata.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { updateSections } from '../dist/lib/cli/readme-sections.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
writeFileSync(readme, updateSections(readFileSync(readme, 'utf8')));
console.log('README.md sections regenerated');

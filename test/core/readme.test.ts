import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { updateSections } from '../../lib/cli/readme-sections.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has its generated sections (options, rules) up to date: run `npm run docs` when this fails', () => {
    expect(updateSections(readme)).toBe(readme);
  });
  it('quick start is the two commands CI and users run', () => {
    expect(readme).toMatch(/npm ci && npm run example/);
    expect(readme).toMatch(/^npm test$/m);
  });
});

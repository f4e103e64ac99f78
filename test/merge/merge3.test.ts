import { describe, it, expect } from '@jest/globals';
import { merge3 } from '../../lib/merge/merge3.js';
import { countConflictMarkers, detectEol, splitText } from '../../lib/merge/text.js';

const lines = (...l: string[]) => l.join('\n') + '\n';
const base = lines(
  'FROM node:22 AS build',
  'WORKDIR /app',
  'COPY package.json ./',
  'RUN npm ci',
  'COPY . .',
  'USER 10001:10001',
  'EXPOSE 3000',
  'CMD ["node", "server.js"]',
);

describe('merge3', () => {
  it('returns the new rendering when the user changed nothing', () => {
    const theirs = base.replace('node:22', 'node:22.11');
    const r = merge3(base, base, theirs);
    expect(r).toEqual({ text: theirs, conflicts: 0, resolved: 0, clean: true });
  });

  it('keeps user edits and applies template changes in other regions', () => {
    const ours = base.replace('EXPOSE 3000\n', 'EXPOSE 3000\nENV APP_MODE=prod\n');
    const theirs = base.replace('FROM node:22 AS build', 'FROM node:22.11 AS build');
    const r = merge3(base, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(ours.replace('FROM node:22 AS build', 'FROM node:22.11 AS build'));
  });

  it('writes diff3-style markers for a true conflict, with labels', () => {
    const ours = base.replace('EXPOSE 3000', 'EXPOSE 4000');
    const theirs = base.replace('EXPOSE 3000', 'EXPOSE 8080');
    const r = merge3(base, ours, theirs, { labels: { base: 'generated 0.1.0', theirs: 'generated 0.2.0' } });
    expect(r.clean).toBe(false);
    expect(r.conflicts).toBe(1);
    const out = r.text.split('\n');
    const start = out.indexOf('<<<<<<< yours (your edits)');
    expect(start).toBeGreaterThan(0);
    expect(out.slice(start, start + 7)).toEqual([
      '<<<<<<< yours (your edits)',
      'EXPOSE 4000',
      '||||||| generated 0.1.0',
      'EXPOSE 3000',
      '=======',
      'EXPOSE 8080',
      '>>>>>>> generated 0.2.0',
    ]);
    expect(countConflictMarkers(r.text)).toBe(1);
    // lines outside the conflict are intact
    expect(out[0]).toBe('FROM node:22 AS build');
    expect(out.at(-2)).toBe('CMD ["node", "server.js"]');
  });

  it('merge style omits the base section', () => {
    const r = merge3(base, base.replace('3000', '4000'), base.replace('3000', '8080'), { style: 'merge' });
    expect(r.text).not.toContain('|||||||');
    expect(r.text).toContain('=======\nEXPOSE 8080\n>>>>>>> generated (new version)\n');
  });

  it.each([
    ['ours', 'EXPOSE 4000'],
    ['theirs', 'EXPOSE 8080'],
  ] as const)('strategy %s resolves every conflict', (strategy, expected) => {
    const ours = base.replace('EXPOSE 3000', 'EXPOSE 4000').replace('RUN npm ci', 'RUN npm ci --omit=dev');
    const theirs = base.replace('EXPOSE 3000', 'EXPOSE 8080').replace('RUN npm ci', 'RUN npm ci --ignore-scripts');
    expect(merge3(base, ours, theirs).conflicts).toBe(2);
    const r = merge3(base, ours, theirs, { strategy });
    expect(r.clean).toBe(true);
    expect(r.conflicts).toBe(0);
    expect(r.resolved).toBe(2);
    expect(r.text).toContain(`\n${expected}\n`);
    expect(countConflictMarkers(r.text)).toBe(0);
  });

  it('identical changes on both sides are not a conflict', () => {
    const both = base.replace('RUN npm ci', 'RUN npm ci --omit=dev');
    expect(merge3(base, both, both)).toMatchObject({ text: both, clean: true });
  });

  it('keeps a whitespace-only user change the template did not touch', () => {
    const ours = base.replace('WORKDIR /app', 'WORKDIR   /app  ');
    const theirs = base.replace('CMD ["node", "server.js"]', 'CMD ["node", "dist/server.js"]');
    const r = merge3(base, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain('\nWORKDIR   /app  \n');
    expect(r.text).toContain('CMD ["node", "dist/server.js"]');
  });

  it('a whitespace-only user change overlapping a real template change is a conflict', () => {
    const ours = base.replace('RUN npm ci', '  RUN npm ci');
    const theirs = base.replace('RUN npm ci', 'RUN npm ci --ignore-scripts');
    const r = merge3(base, ours, theirs);
    expect(r.conflicts).toBe(1);
  });

  it('same change spelled with different whitespace resolves to the user spelling', () => {
    const ours = base.replace('RUN npm ci', 'RUN  npm ci --omit=dev');
    const theirs = base.replace('RUN npm ci', 'RUN npm ci --omit=dev');
    const r = merge3(base, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toContain('\nRUN  npm ci --omit=dev\n');
  });

  it('keeps CRLF line endings of the user file, markers included', () => {
    const ours = base.replace('EXPOSE 3000', 'EXPOSE 4000').replace(/\n/g, '\r\n');
    const theirs = base.replace('FROM node:22', 'FROM node:22.11');
    const clean = merge3(base, base.replace(/\n/g, '\r\n'), theirs);
    expect(clean.clean).toBe(true);
    expect(clean.text).toBe(theirs.replace(/\n/g, '\r\n'));
    const conflicting = merge3(base, ours, theirs.replace('EXPOSE 3000', 'EXPOSE 8080'));
    expect(conflicting.conflicts).toBe(1);
    expect(conflicting.text.replace(/\r\n/g, '')).not.toContain('\n'); // every break is CRLF
    expect(conflicting.text).toContain('\r\n=======\r\n');
  });

  it('a line-ending-only user change is kept and is not a conflict', () => {
    const ours = base.replace(/\n/g, '\r\n');
    const theirs = base.replace('USER 10001:10001', 'USER 20001:20001');
    const r = merge3(base, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(theirs.replace(/\n/g, '\r\n'));
  });

  it('trailing newline: user removal kept; otherwise follows the new rendering', () => {
    const theirs = base.replace('EXPOSE 3000', 'EXPOSE 8080');
    const noNl = merge3(base, base.slice(0, -1), theirs);
    expect(noNl.clean).toBe(true);
    expect(noNl.text).toBe(theirs.slice(0, -1));
    const templNoNl = merge3(base, base.replace('WORKDIR /app', 'WORKDIR /srv'), theirs.slice(0, -1));
    expect(templNoNl.text.endsWith('server.js"]')).toBe(true);
    expect(templNoNl.text).toContain('WORKDIR /srv');
  });

  it('deleting a line the template did not change stays deleted', () => {
    const ours = base.replace('COPY . .\n', '');
    const theirs = base.replace('FROM node:22', 'FROM node:22.11');
    const r = merge3(base, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).not.toContain('COPY . .');
    expect(r.text).toContain('FROM node:22.11');
  });

  it('two-way merge (no base) keeps shared lines and marks differences without a base section', () => {
    const ours = lines('FROM node:20', 'WORKDIR /app', 'CMD ["node", "index.js"]');
    const theirs = lines('FROM node:22', 'WORKDIR /app', 'CMD ["node", "server.js"]');
    const r = merge3(null, ours, theirs);
    expect(r.conflicts).toBe(2);
    expect(r.text).not.toContain('|||||||');
    expect(r.text.split('\n').filter((l) => l === 'WORKDIR /app')).toHaveLength(1);
  });

  it('empty files', () => {
    expect(merge3('', '', '')).toEqual({ text: '', conflicts: 0, resolved: 0, clean: true });
    expect(merge3('', '', 'a\n').text).toBe('a\n');
    // adjacent edits (user deleted "a", template appended after "a") are a conflict, as in git
    expect(merge3('a\n', '', 'a\nb\n').conflicts).toBe(1);
    expect(merge3('a\nx\n', 'x\n', 'a\nx\nb\n').text).toBe('x\nb\n');
  });
});

describe('text helpers', () => {
  it('detects the dominant line ending', () => {
    expect(detectEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(detectEol('a\nb\nc\r\n')).toBe('\n');
    expect(detectEol('abc')).toBeNull();
  });
  it('splits with trailing newline recorded', () => {
    expect(splitText('a\r\nb')).toEqual({ lines: ['a', 'b'], eol: '\r\n', finalNewline: false });
    expect(splitText('\n')).toEqual({ lines: [''], eol: '\n', finalNewline: true });
  });
  it('counts only complete marker blocks', () => {
    expect(countConflictMarkers('<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n')).toBe(1);
    expect(countConflictMarkers('<<<<<<< a\nx\n')).toBe(0);
    expect(countConflictMarkers('# ======= heading\n')).toBe(0);
  });
});

// The direct JSON writer of formatJsonChunks and the engine's sorted de-duplication: same bytes and
// same findings as the generic code they replace (JSON.stringify of the report; a key set).
import { describe, expect, it } from '@jest/globals';
import { formatJson, formatJsonChunks } from '../../lib/audit/format.js';
import type { AuditReport, FileReport } from '../../lib/audit/run.js';
import type { Finding } from '../../lib/core/types.js';
import { dedupeSorted, sortByLineThenRule } from '../../lib/policy/engine.js';

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
}

const finding = (over: Partial<Finding>): Finding => ({
  rule: 'SC1001',
  name: 'no-root-user',
  principle: 'P5',
  severity: 'error',
  file: 'Dockerfile',
  line: 1,
  message: 'm',
  refs: ['DL3002', 'CIS-4.1'],
  ...over,
});

describe('formatJsonChunks writes what formatJson writes', () => {
  it('odd values: empty refs, control and non-BMP characters, one rule at two severities, shared and equal refs', () => {
    const shared = ['A', 'B'];
    const files: FileReport[] = [
      { path: 'a/Dockerfile', kind: 'dockerfile', findings: [] },
      {
        path: 'b/"q"\\\u0001\u2028/Dockerfile',
        kind: 'dockerfile',
        findings: [
          finding({ line: 3, message: 'tab\there "x" \ud83d\ude00 lone \ud800', refs: [] }),
          finding({ line: 4, severity: 'warning', refs: shared }),
          finding({ line: 5, severity: 'warning', refs: [...shared] }),
          finding({ line: 6, refs: ['C'] }),
          finding({ rule: 'SC2001', name: 'no-privileged', line: 2.5, message: '', refs: shared }),
          finding({ line: -0, fix: 'not in json' }),
        ],
      },
      { path: 'compose.yaml', kind: 'compose', findings: [finding({ rule: 'SC2004', refs: [] })] },
    ];
    const report: AuditReport = { files, failOn: 'error', unreadable: false };
    expect([...formatJsonChunks(report)].join('')).toBe(formatJson(report));
  });

  it('messages of one rule that change from finding to finding and from file to file', () => {
    const files: FileReport[] = [0, 1, 2].map((k) => ({
      path: `d${k}/Dockerfile`,
      kind: 'dockerfile',
      findings: [
        finding({ line: 1, message: 'same' }),
        finding({ line: 2, message: 'same' }),
        finding({ line: 3, message: `image ${k}` }),
        finding({ line: 4, message: 'same' }),
        finding({ rule: 'SC2001', name: 'no-privileged', line: 5, message: 'same' }),
        finding({ line: 6, message: `"quoted" ${k % 2}` }),
      ],
    }));
    const report: AuditReport = { files, failOn: 'error', unreadable: false };
    expect([...formatJsonChunks(report)].join('')).toBe(formatJson(report));
  });

  it('a value outside the contract (no message) falls back to the generic writer', () => {
    const bad = { ...finding({}), message: undefined } as unknown as Finding;
    const report: AuditReport = {
      files: [{ path: 'Dockerfile', kind: 'dockerfile', findings: [finding({}), bad] }],
      failOn: 'none',
      unreadable: false,
    };
    expect([...formatJsonChunks(report)].join('')).toBe(formatJson(report));
  });

  it('refs that are not all strings fall back to the generic writer, first seen or after valid ones', () => {
    const odd = (refs: unknown[]): Finding => ({ ...finding({}), refs }) as unknown as Finding;
    for (const findings of [
      [odd(['A', 7])],
      [finding({}), odd(['DL3002', 7])],
      [finding({}), odd([null, 'CIS-4.1'])],
      [odd(['DL3002', undefined])],
    ]) {
      const report: AuditReport = {
        files: [{ path: 'Dockerfile', kind: 'dockerfile', findings }],
        failOn: 'none',
        unreadable: false,
      };
      expect([...formatJsonChunks(report)].join('')).toBe(formatJson(report));
    }
  });
});

describe('sortByLineThenRule', () => {
  it('sorts as Array.prototype.sort does with the same comparator (stable), short and long lists', () => {
    const r = rng(11);
    const byLineThenRule = (a: Finding, b: Finding): number =>
      a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
    for (let n = 0; n < 400; n++) {
      const size = Math.floor(r() * (n % 20 === 0 ? 60 : 20));
      const list: Finding[] = [];
      for (let i = 0; i < size; i++)
        list.push(finding({ rule: `SC100${Math.floor(r() * 3)}`, line: 1 + Math.floor(r() * 6), fix: `f${i}` }));
      const expected = [...list].sort(byLineThenRule);
      const sorted = sortByLineThenRule(list);
      expect(sorted).toBe(list); // in place, as sort()
      expect(sorted.map((f) => f.fix)).toEqual(expected.map((f) => f.fix));
    }
  });
});

describe('dedupeSorted', () => {
  const reference = (sorted: Finding[]): Finding[] => {
    const seen = new Set<string>();
    return sorted.filter((f) => {
      const key = `${f.rule}:${f.line}:${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const byLineThenRule = (a: Finding, b: Finding): number =>
    a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);

  it('keeps what a rule:line:message key set keeps, in the same order (random lists, long runs)', () => {
    const r = rng(7);
    for (let n = 0; n < 300; n++) {
      const size = Math.floor(r() * (n % 10 === 0 ? 200 : 20));
      const list: Finding[] = [];
      for (let i = 0; i < size; i++)
        list.push(
          finding({
            rule: `SC100${Math.floor(r() * 3)}`,
            line: 1 + Math.floor(r() * (n % 10 === 0 ? 2 : 5)),
            message: `m${Math.floor(r() * (n % 3 === 0 ? 40 : 3))}`,
            // tells duplicates apart: the first of each must be the one kept
            fix: `f${i}`,
          }),
        );
      const sorted = list.sort(byLineThenRule);
      expect(dedupeSorted([...sorted])).toEqual(reference(sorted));
    }
  });
});

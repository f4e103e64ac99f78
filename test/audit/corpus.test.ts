// The audit over a corpus of realistic (and malformed) Dockerfiles and compose files: no crash, sensible counts.
import { describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './helpers.js';

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/audit/corpus', import.meta.url));

interface J {
  files: { path: string; kind: string; findings: { rule: string; line: number; severity: string }[] }[];
  summary: Record<string, number | string | boolean>;
}

describe('audit over the corpus', () => {
  it('never crashes and finds what each file is there for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-corpus-'));
    cpSync(CORPUS, dir, { recursive: true });
    // generated at test time: a huge file and a node_modules copy that must be skipped
    writeFileSync(join(dir, 'malformed-huge.Dockerfile'), 'FROM alpine:3.20\n' + 'RUN echo x\n'.repeat(110_000));
    mkdirSync(join(dir, 'node_modules/pkg'), { recursive: true });
    writeFileSync(join(dir, 'node_modules/pkg/Dockerfile'), 'FROM x\n');
    const { code, out, err } = await run(['--format', 'json'], dir);
    expect(err).toBe('');
    expect(code).toBe(1);
    const doc = JSON.parse(out) as J;
    const by = new Map(doc.files.map((f) => [f.path, f.findings]));
    const rules = (p: string) => new Set((by.get(p) ?? []).map((f) => f.rule));

    expect(doc.files.length).toBeGreaterThanOrEqual(40);
    expect([...by.keys()].some((p) => p.startsWith('node_modules'))).toBe(false);
    expect(doc.summary.findings).toBeGreaterThan(150);
    // every finding has a real line
    for (const f of doc.files) for (const x of f.findings) expect(x.line).toBeGreaterThanOrEqual(1);

    // clean reference files stay (almost) clean
    expect(by.get('compose/hardened/compose.yaml')).toEqual([]);
    expect(by.get('node-multistage/Dockerfile')).toEqual([]);
    expect([...rules('buildkit-secrets/Dockerfile')]).toEqual(['SC1030']);
    // the typical problems are found
    expect(rules('node-express/Dockerfile')).toEqual(new Set(['SC1001', 'SC1019', 'SC1026', 'SC1030']));
    expect(rules('ubuntu-tools/Dockerfile')).toEqual(
      new Set([
        'SC1003',
        'SC1019',
        'SC1026',
        'SC1030',
        'SC1016',
        'SC1011',
        'SC1014',
        'SC1015',
        'SC1002',
        'SC1008',
        'SC1027',
        'SC1032',
        'SC1033',
      ]),
    );
    expect(rules('secrets-copied/Dockerfile').has('SC1013')).toBe(true);
    expect(rules('insecure-downloads/Dockerfile')).toEqual(
      new Set(['SC1026', 'SC1030', 'SC1010', 'SC1009', 'SC1008', 'SC1032']),
    );
    expect(rules('heredoc/Dockerfile').has('SC1008')).toBe(true);
    expect(rules('compose/monitoring/docker-compose.yaml')).toEqual(
      new Set([
        'SC2001',
        'SC2003',
        'SC2004',
        'SC2006',
        'SC2007',
        'SC2008',
        'SC2009',
        'SC2011',
        'SC2012',
        'SC2014',
        'SC2015',
        'SC2016',
        'SC2018',
        'SC2019',
        'SC2020',
      ]),
    );
    expect(rules('compose/caps/compose.yml')).toEqual(
      new Set([
        'SC2002',
        'SC2003',
        'SC2004',
        'SC2005',
        'SC2009',
        'SC2010',
        'SC2011',
        'SC2012',
        'SC2013',
        'SC2014',
        'SC2015',
        'SC2017',
        'SC2020',
        'SC2021',
      ]),
    );
    // merge keys count
    expect([...rules('compose/anchors/compose.yaml')]).toEqual(['SC2016']);
    // suppressions: with a reason they hide, without one they are reported
    expect(rules('compose/suppressed/compose.yaml').has('SC2001')).toBe(false);
    expect(rules('compose/suppressed/compose.yaml').has('SC0003')).toBe(true);
    // malformed files: one finding of their own each
    expect([...rules('malformed/binary/Dockerfile')]).toEqual(['SC0002']);
    expect([...rules('malformed/latin1/Dockerfile')]).toEqual(['SC0002']);
    expect([...rules('malformed/empty/Dockerfile')]).toEqual(['SC0002']);
    expect([...rules('malformed-huge.Dockerfile')]).toEqual(['SC0002']);
    expect([...rules('malformed/broken-yaml/compose.yaml')]).toEqual(['SC0001']);
    expect([...rules('malformed/not-a-map/compose.yml')]).toEqual(['SC0001']);
    expect([...rules('malformed/duplicate-keys/compose.yaml')]).toEqual(['SC0001']);
    expect(rules('malformed/unknown-instruction/Dockerfile').has('SC0001')).toBe(true);
    // BOM and CRLF are handled like normal files
    expect(rules('malformed/bom/Dockerfile').has('SC0001')).toBe(false);
    expect(by.get('malformed/crlf/compose.yaml')?.find((f) => f.rule === 'SC2001')?.line).toBe(4);
  });
});

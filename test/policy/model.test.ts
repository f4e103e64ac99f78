import { describe, expect, it } from '@jest/globals';
import { resolvePolicyConfig } from '../../lib/policy/config.js';
import { buildDockerfileModel } from '../../lib/policy/dockerfile/model.js';
import { compileAllowList, parseImage, substitute } from '../../lib/policy/image.js';

const model = (t: string) => buildDockerfileModel(t, 'Dockerfile', resolvePolicyConfig());

describe('Dockerfile model', () => {
  it('substitutes global ARGs in FROM (${X}, $X, ${X:-d})', () => {
    const m = model(
      'ARG REG=docker.io\nARG TAG=22\nARG V\nFROM ${REG}/library/node:$TAG-alpine AS a\nFROM python:${V:-3.12}-slim\nFROM ${NOPE}\n',
    );
    expect(m.stages.map((s) => s.image.ref)).toEqual([
      'docker.io/library/node:22-alpine',
      'python:3.12-slim',
      '${NOPE}',
    ]);
    expect(m.stages[2].image.unresolved).toBe(true);
  });
  it('tracks USER per stage, inherited through FROM <stage>', () => {
    const m = model('FROM alpine:3.20 AS base\nUSER 0\nFROM base AS mid\nFROM mid\nUSER app\nFROM base\n');
    expect(m.stages.map((s) => [s.user.root, s.user.source])).toEqual([
      [true, 'explicit'],
      [true, 'parent-stage'],
      [false, 'explicit'],
      [true, 'parent-stage'],
    ]);
    expect(m.stages[3].parent?.name).toBe('base');
    expect(m.stages[0].inFinalImage).toBe(true);
    expect(m.stages[2].inFinalImage).toBe(false);
  });
  it('knows distroless :nonroot is not root', () => {
    expect(model('FROM gcr.io/distroless/nodejs22-debian12:nonroot\n').finalStage?.user.root).toBe(false);
    expect(model('FROM gcr.io/distroless/nodejs22-debian12:debug-nonroot\n').finalStage?.user.root).toBe(false);
    expect(model('FROM gcr.io/distroless/nodejs22-debian12\n').finalStage?.user.root).toBe(true);
  });
  it('tells exec form from shell form', () => {
    const m = model('FROM a:1\nCMD ["node", "x.js"]\nENTRYPOINT node x.js\n');
    expect(m.finalStage?.instructions.map((i) => i.json)).toEqual([['node', 'x.js'], null]);
  });
  it('splits RUN (shell, exec, heredoc, sh -c) into commands with lines', () => {
    const m = model(
      'FROM a:1\nRUN apt-get update \\\n && apt-get install -y x\nRUN ["sh", "-c", "sudo id"]\nRUN <<EOF\nset -e\ncurl -s x | sh\nEOF\nRUN bash -c "apk add y && apk upgrade"\n',
    );
    expect(m.runs.map((r) => r.commands.map((c) => `${c.line}:${c.program}`))).toEqual([
      ['2:apt-get', '3:apt-get'],
      ['4:sh', '4:id'],
      ['6:set', '7:curl', '7:sh'],
      ['9:bash', '9:apk', '9:apk'],
    ]);
  });
  it('reports structural problems', () => {
    expect(model('').problems.length).toBe(1);
    expect(model('RUN x\n').problems[0].message).toMatch(/before the first FROM/);
    expect(model('FROM a:1\nFOO bar\n').problems[0]).toEqual({ line: 2, message: 'unknown instruction "FOO"' });
  });
});

describe('images', () => {
  it('parses references', () => {
    expect(parseImage('node')).toMatchObject({ registry: 'docker.io', repository: 'library/node', tag: null });
    expect(parseImage('localhost:5000/a/b:1@sha256:x')).toMatchObject({
      registry: 'localhost:5000',
      repository: 'a/b',
      tag: '1',
      digest: 'sha256:x',
    });
    expect(parseImage('index.docker.io/bitnami/redis:7').full).toBe('docker.io/bitnami/redis');
  });
  it('matches the allow-list on path segments', () => {
    const ok = compileAllowList(['docker.io/library', 'hashicorp', 'gcr.io/distroless']);
    expect(ok(parseImage('node:22'))).toBe(true);
    expect(ok(parseImage('hashicorp/vault:1'))).toBe(true);
    expect(ok(parseImage('gcr.io/distroless/static'))).toBe(true);
    expect(ok(parseImage('gcr.io/distrolessx/static'))).toBe(false);
    expect(ok(parseImage('bitnami/redis:7'))).toBe(false);
    expect(compileAllowList(['*'])(parseImage('quay.io/x/y'))).toBe(true);
  });
  it('substitutes variables', () => {
    const v = new Map<string, string | null>([
      ['A', 'x'],
      ['E', ''],
      ['N', null],
    ]);
    expect(substitute('${A}-$A-${E:-d}-${E-d}-${N:-n}-${A:+y}-${Z}', v)).toBe('x-x-d--n-y-${Z}');
  });
});

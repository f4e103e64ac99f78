// App-hardening rules on third-party compose services (issue 12 item 2): `image:` without `build:`
// is reported at info, with advice that fits the image; the repository's own services (`build:`,
// with or without `image:`) keep the rule's severity; a severity set in the policy wins.
import { describe, expect, it } from '@jest/globals';
import { auditCompose, auditDockerfile } from '../../lib/policy/engine.js';
import { KNOWN_IMAGES, knownImage } from '../../lib/policy/compose/images.js';
import { parseImage } from '../../lib/policy/image.js';

const HARDENING = ['SC2003', 'SC2004', 'SC2011', 'SC2012', 'SC2014', 'SC2015'];

const COMPOSE = `services:
  app:
    build: .
    image: registry.example.com/app:1.0
  db:
    image: postgres:16-alpine
  cache:
    image: redis:7.4-alpine
  search:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
  other:
    image: someone/tool:1.2
`;

describe('third-party compose services', () => {
  const findings = auditCompose(COMPOSE, 'compose.yaml');
  const of = (svc: string) => findings.filter((f) => f.message.includes(`"${svc}"`) && HARDENING.includes(f.rule));

  it('the repository’s own service (build: and image:) keeps warning', () => {
    expect(of('app').map((f) => f.rule)).toEqual(HARDENING);
    expect(of('app').every((f) => f.severity === 'warning')).toBe(true);
  });

  it('third-party services are info, with the image named', () => {
    for (const svc of ['db', 'cache', 'other']) {
      expect(of(svc).map((f) => f.rule)).toEqual(HARDENING);
      expect(of(svc).every((f) => f.severity === 'info' && f.message.includes('third-party image'))).toBe(true);
    }
  });

  it('well-known images get their documented setting and the doc link', () => {
    const user = of('db').find((f) => f.rule === 'SC2012');
    expect(user?.fix).toContain('user: postgres');
    expect(user?.fix).toContain('https://github.com/docker-library/docs/blob/master/postgres/README.md');
    expect(of('cache').find((f) => f.rule === 'SC2012')?.fix).toContain('user: redis');
    expect(of('cache').find((f) => f.rule === 'SC2011')?.fix).toContain('/data');
    // an unknown third-party image gets the generic advice
    expect(of('other').find((f) => f.rule === 'SC2012')?.fix).toContain("image's documentation");
  });

  it('an image that runs non-root by default is not asked for user:', () => {
    expect(of('search').some((f) => f.rule === 'SC2012')).toBe(false);
    expect(of('search').some((f) => f.rule === 'SC2011')).toBe(true);
  });

  it('a severity set in the policy wins over the third-party severity', () => {
    const strict = auditCompose(COMPOSE, 'compose.yaml', { rules: { SC2012: 'error' } });
    expect(strict.filter((f) => f.rule === 'SC2012').every((f) => f.severity === 'error')).toBe(true);
  });

  it('every table entry has a doc URL and matches its repositories', () => {
    for (const k of KNOWN_IMAGES) {
      expect(k.doc).toMatch(/^https:\/\//);
      for (const r of k.repositories) expect(knownImage(parseImage(`${r}:1`))?.name).toBe(k.name);
    }
    expect(knownImage(parseImage('postgres:16'))?.name).toBe('postgres');
    expect(knownImage(parseImage('someone/postgres:16'))).toBeNull();
  });
});

describe('images used only as COPY --from sources (SC1005)', () => {
  const sc1005 = (text: string) => auditDockerfile(text, 'Dockerfile').filter((f) => f.rule === 'SC1005');
  it('unpinned: info; a version tag or a digest: nothing; a real base stays a warning', () => {
    expect(sc1005('FROM python:3.12-slim\nCOPY --from=someone/tools / /\n').map((f) => f.severity)).toEqual(['info']);
    expect(sc1005('FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n')).toHaveLength(1);
    expect(sc1005('FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.9.26 /uv /bin/\n')).toEqual([]);
    expect(
      sc1005(`FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv@sha256:${'c'.repeat(64)} /uv /bin/\n`),
    ).toEqual([]);
    expect(sc1005('FROM ghcr.io/astral-sh/uv:0.5.11 AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/\n')).toEqual(
      [],
    );
    expect(
      sc1005('FROM ghcr.io/astral-sh/uv AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/\n')[0]?.severity,
    ).toBe('info');
    expect(sc1005('FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nRUN uv sync\n')[0]?.severity).toBe('warning');
    // a stage name or index is not an image
    expect(sc1005('FROM node:22 AS build\nFROM node:22\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\n')).toEqual([]);
  });
});

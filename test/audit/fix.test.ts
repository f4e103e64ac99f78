// `audit --fix`, fixer by fixer: the text before and after, the rule's finding gone on re-audit, the
// file still parses, formatting and comments kept, a second pass changes nothing; and the cases each
// fixer must decline (with a reason).
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { FIXERS, fixText } from '../../lib/audit/fix/index.js';
import { scanShell } from '../../lib/audit/fix/shell-words.js';
import { applyEdits, Lines } from '../../lib/audit/fix/text.js';
import { auditText } from '../../lib/policy/engine.js';
import { detectKind, kindById } from '../../lib/policy/kinds.js';
import { ruleModules } from '../../lib/policy/rules/index.js';
import type { FileKind } from '../../lib/policy/types.js';

interface FixCase {
  name: string;
  rule: string;
  kind: FileKind;
  before: string;
  after: string;
}

interface DeclineCase {
  name: string;
  rule: string;
  kind: FileKind;
  code: string;
  /** part of the reason given */
  reason: string;
}

const ruleCount = (kind: FileKind, text: string, rule: string): number =>
  auditText(kindById[kind], text, kind === 'dockerfile' ? 'Dockerfile' : 'compose.yaml').filter((f) => f.rule === rule)
    .length;

/** Only the rule under test changes the text: the other fixers are checked in their own cases. */
function fixOnly(kind: FileKind, text: string, rule: string): ReturnType<typeof fixText> {
  const config = {
    rules: Object.fromEntries([...FIXERS.keys()].filter((id) => id !== rule).map((id) => [id, 'off' as const])),
  };
  return fixText(kind, text, kind === 'dockerfile' ? 'Dockerfile' : 'compose.yaml', config);
}

const FIXED: FixCase[] = [
  // ---- SC1014 --no-install-recommends
  {
    name: 'apt-get install on one line',
    rule: 'SC1014',
    kind: 'dockerfile',
    before: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    after:
      'FROM debian:12-slim\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n',
  },
  {
    name: 'continuation lines, a comment line inside, options before install, sudo-free apt',
    rule: 'SC1014',
    kind: 'dockerfile',
    before:
      'FROM debian:12-slim\n# tools\nRUN apt-get update \\\n  # the packages\n  && apt-get -q install -y \\\n       git curl \\\n  && apt install -y jq \\\n  && rm -rf /var/lib/apt/lists/*\n',
    after:
      'FROM debian:12-slim\n# tools\nRUN apt-get update \\\n  # the packages\n  && apt-get -q install --no-install-recommends -y \\\n       git curl \\\n  && apt install --no-install-recommends -y jq \\\n  && rm -rf /var/lib/apt/lists/*\n',
  },
  {
    name: 'CRLF line ends are kept',
    rule: 'SC1014',
    kind: 'dockerfile',
    before: 'FROM debian:12-slim\r\nRUN apt-get install -y curl \\\r\n  && rm -rf /var/lib/apt/lists/*\r\n',
    after:
      'FROM debian:12-slim\r\nRUN apt-get install --no-install-recommends -y curl \\\r\n  && rm -rf /var/lib/apt/lists/*\r\n',
  },
  // ---- SC1015 package cache cleanup
  {
    name: 'apt on one line',
    rule: 'SC1015',
    kind: 'dockerfile',
    before: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n',
    after:
      'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
  },
  {
    name: 'leading && style: a new continuation line, same indentation',
    rule: 'SC1015',
    kind: 'dockerfile',
    before:
      'FROM debian:12-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && curl --version\nUSER 10001\n',
    after:
      'FROM debian:12-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && curl --version \\\n    && rm -rf /var/lib/apt/lists/*\nUSER 10001\n',
  },
  {
    name: 'trailing && style',
    rule: 'SC1015',
    kind: 'dockerfile',
    before: 'FROM debian:12-slim\nRUN apt-get update && \\\n\tapt-get install -y --no-install-recommends git\n',
    after:
      'FROM debian:12-slim\nRUN apt-get update && \\\n\tapt-get install -y --no-install-recommends git && \\\n\trm -rf /var/lib/apt/lists/*\n',
  },
  {
    name: 'yum, dnf, microdnf and zypper',
    rule: 'SC1015',
    kind: 'dockerfile',
    before:
      'FROM rockylinux:9\nRUN yum install -y httpd\nRUN dnf install -y x\nRUN microdnf install -y y\nRUN zypper in -y z\n',
    after:
      'FROM rockylinux:9\nRUN yum install -y httpd && yum clean all\nRUN dnf install -y x && dnf clean all\nRUN microdnf install -y y && microdnf clean all\nRUN zypper in -y z && zypper clean -a\n',
  },
  {
    name: 'a RUN ending with ;',
    rule: 'SC1015',
    kind: 'dockerfile',
    before: 'FROM debian:12-slim\nRUN set -e; apt-get update; apt-get install -y --no-install-recommends curl;\n',
    after:
      'FROM debian:12-slim\nRUN set -e; apt-get update; apt-get install -y --no-install-recommends curl; rm -rf /var/lib/apt/lists/*\n',
  },
  // ---- SC1017 apk --no-cache
  {
    name: 'apk add',
    rule: 'SC1017',
    kind: 'dockerfile',
    before: 'FROM alpine:3.20\nRUN apk update && apk add --virtual .deps curl # build deps\n',
    after: 'FROM alpine:3.20\nRUN apk update && apk add --no-cache --virtual .deps curl # build deps\n',
  },
  // ---- SC1007 COPY for a local ADD
  {
    name: 'directories and named files; flags COPY has; lower-case keyword',
    rule: 'SC1007',
    kind: 'dockerfile',
    before:
      'FROM alpine:3.20\nADD . /app\nADD --chown=10001:10001 package.json package-lock.json /app/\nadd src/ /app/src/\nADD ["conf/nginx.conf", "/etc/nginx/"]\n',
    after:
      'FROM alpine:3.20\nCOPY . /app\nCOPY --chown=10001:10001 package.json package-lock.json /app/\ncopy src/ /app/src/\nCOPY ["conf/nginx.conf", "/etc/nginx/"]\n',
  },
  // ---- SC1022 exec form
  {
    name: 'CMD with no ENTRYPOINT; quoted words',
    rule: 'SC1022',
    kind: 'dockerfile',
    before: 'FROM node:22-alpine\n# start\nCMD node "dist/my server.js" --port=8080\n',
    after: 'FROM node:22-alpine\n# start\nCMD ["node", "dist/my server.js", "--port=8080"]\n',
  },
  {
    name: 'ENTRYPOINT with no CMD',
    rule: 'SC1022',
    kind: 'dockerfile',
    before: 'FROM python:3.12-slim\nENTRYPOINT   python -m app\n',
    after: 'FROM python:3.12-slim\nENTRYPOINT   ["python", "-m", "app"]\n',
  },
  {
    name: 'HEALTHCHECK CMD after options',
    rule: 'SC1022',
    kind: 'dockerfile',
    before: 'FROM alpine:3.20\nHEALTHCHECK --interval=30s --timeout=3s CMD /app/healthcheck --quick\nCMD ["/app"]\n',
    after:
      'FROM alpine:3.20\nHEALTHCHECK --interval=30s --timeout=3s CMD ["/app/healthcheck", "--quick"]\nCMD ["/app"]\n',
  },
  // ---- SC1001 numeric non-root USER
  {
    name: 'USER after the last build step, before CMD and its comment',
    rule: 'SC1001',
    kind: 'dockerfile',
    before:
      'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nEXPOSE 8080\n# start the server\nCMD ["node", "server.js"]\n',
    after:
      'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER 10001:10001\nEXPOSE 8080\n# start the server\nCMD ["node", "server.js"]\n',
  },
  {
    name: 'data directories (VOLUME) made writable before they are declared',
    rule: 'SC1001',
    kind: 'dockerfile',
    before:
      'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nCOPY app.py /app/\n  VOLUME ["/data", "/var/cache/app"]\nENTRYPOINT ["python", "/app/app.py"]',
    after:
      'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nCOPY app.py /app/\n  RUN mkdir -p /data /var/cache/app && chown 10001:10001 /data /var/cache/app\n  VOLUME ["/data", "/var/cache/app"]\nUSER 10001:10001\nENTRYPOINT ["python", "/app/app.py"]',
  },
  {
    name: 'multi-stage: the final stage only, scratch base',
    rule: 'SC1001',
    kind: 'dockerfile',
    before:
      'FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
    after:
      'FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 10001:10001\nENTRYPOINT ["/app"]\n',
  },
  {
    name: 'no final line end: the file keeps having none',
    rule: 'SC1001',
    kind: 'dockerfile',
    before: 'FROM alpine:3.20\nCOPY app /app\nCMD ["/app"]',
    after: 'FROM alpine:3.20\nCOPY app /app\nUSER 10001:10001\nCMD ["/app"]',
  },
  // ---- SC2009 loopback
  {
    name: 'short syntax in every quoting, a container port only, all interfaces, a comment kept',
    rule: 'SC2009',
    kind: 'compose',
    before:
      'services:\n  app:\n    image: x:1\n    ports:\n      - "8080:8080" # web\n      - \'9090:9090\'\n      - 3000:3000\n      - 9000\n      - "0.0.0.0:9443:8443/tcp"\n',
    after:
      'services:\n  app:\n    image: x:1\n    ports:\n      - "127.0.0.1:8080:8080" # web\n      - \'127.0.0.1:9090:9090\'\n      - "127.0.0.1:3000:3000"\n      - "127.0.0.1::9000"\n      - "127.0.0.1:9443:8443/tcp"\n',
  },
  {
    name: 'long syntax: host_ip added or replaced; flow list',
    rule: 'SC2009',
    kind: 'compose',
    before:
      'services:\n  app:\n    image: x:1\n    ports:\n      - target: 8080\n        published: 8080\n      - target: 9090\n        published: "9090"\n        host_ip: 0.0.0.0\n  b:\n    image: y:1\n    ports: ["5000:5000"]\n',
    after:
      'services:\n  app:\n    image: x:1\n    ports:\n      - target: 8080\n        published: 8080\n        host_ip: 127.0.0.1\n      - target: 9090\n        published: "9090"\n        host_ip: 127.0.0.1\n  b:\n    image: y:1\n    ports: ["127.0.0.1:5000:5000"]\n',
  },
  // ---- SC2003 cap_drop
  {
    name: 'added at the end of the service, indented like its keys',
    rule: 'SC2003',
    kind: 'compose',
    before:
      'services:\n   app:\n      image: x:1\n      user: "10001:10001"\n      # done\n   db:\n      image: y:1\n      cap_drop: [ALL]\n',
    after:
      'services:\n   app:\n      image: x:1\n      user: "10001:10001"\n      cap_drop: [ALL]\n      # done\n   db:\n      image: y:1\n      cap_drop: [ALL]\n',
  },
  {
    name: 'ALL appended to a block list',
    rule: 'SC2003',
    kind: 'compose',
    before: 'services:\n  app:\n    image: x:1\n    user: app:app\n    cap_drop:\n      - NET_RAW # raw sockets\n',
    after:
      'services:\n  app:\n    image: x:1\n    user: app:app\n    cap_drop:\n      - NET_RAW # raw sockets\n      - ALL\n',
  },
  // ---- SC2004 no-new-privileges
  {
    name: 'new key, and an item added to a flow list',
    rule: 'SC2004',
    kind: 'compose',
    before:
      'services:\n  app:\n    image: x:1\n    environment:\n      A: "1"\n  b:\n    image: y:1\n    security_opt: [apparmor:docker-default]\n',
    after:
      'services:\n  app:\n    image: x:1\n    environment:\n      A: "1"\n    security_opt: ["no-new-privileges:true"]\n  b:\n    image: y:1\n    security_opt: [apparmor:docker-default, no-new-privileges:true]\n',
  },
  // ---- SC2011 read_only
  {
    name: 'a service built from the repository, CRLF',
    rule: 'SC2011',
    kind: 'compose',
    before: 'services:\r\n  api:\r\n    build: ./api\r\n    command: ["node", "s.js"]\r\n',
    after:
      'services:\r\n  api:\r\n    build: ./api\r\n    command: ["node", "s.js"]\r\n    read_only: true\r\n    tmpfs: [/tmp]\r\n',
  },
  {
    name: '/tmp added to an existing tmpfs list',
    rule: 'SC2011',
    kind: 'compose',
    before: 'services:\n  api:\n    build:\n      context: .\n    tmpfs:\n      - /run\n',
    after:
      'services:\n  api:\n    build:\n      context: .\n    tmpfs:\n      - /run\n      - /tmp\n    read_only: true\n',
  },
  // ---- SC2016 bounded restart
  {
    name: 'on-failure and restart_policy on-failure',
    rule: 'SC2016',
    kind: 'compose',
    before:
      'services:\n  a:\n    image: x:1\n    restart: "on-failure" # keep\n  b:\n    image: y:1\n    deploy:\n      restart_policy:\n        condition: on-failure\n        delay: 5s\n',
    after:
      'services:\n  a:\n    image: x:1\n    restart: "on-failure:5" # keep\n  b:\n    image: y:1\n    deploy:\n      restart_policy:\n        condition: on-failure\n        delay: 5s\n        max_attempts: 5\n',
  },
];

const DECLINED: DeclineCase[] = [
  {
    name: 'apt-get inside sh -c is not rewritten',
    rule: 'SC1014',
    kind: 'dockerfile',
    code: 'FROM debian:12\nRUN ["sh", "-c", "apt-get install -y curl && rm -rf /var/lib/apt/lists/*"]\n',
    reason: 'exec form',
  },
  {
    name: 'heredoc RUN',
    rule: 'SC1015',
    kind: 'dockerfile',
    code: 'FROM debian:12-slim\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n',
    reason: 'heredoc',
  },
  {
    name: 'a RUN with a shell comment',
    rule: 'SC1015',
    kind: 'dockerfile',
    code: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl # done\n',
    reason: 'shell comment',
  },
  {
    name: 'apk add with a command substitution',
    rule: 'SC1017',
    kind: 'dockerfile',
    code: 'FROM alpine:3.20\nRUN apk add $(cat /tmp/packages.txt)\n',
    reason: 'command substitution',
  },
  {
    name: 'ADD of a file that could be an archive',
    rule: 'SC1007',
    kind: 'dockerfile',
    code: 'FROM alpine:3.20\nADD rootfs /\n',
    reason: 'could be one',
  },
  {
    name: 'ADD --keep-git-dir',
    rule: 'SC1007',
    kind: 'dockerfile',
    code: 'FROM alpine:3.20\nADD --keep-git-dir=true src/ /src/\n',
    reason: 'no COPY equivalent',
  },
  {
    name: 'CMD with shell syntax',
    rule: 'SC1022',
    kind: 'dockerfile',
    code: 'FROM alpine:3.20\nCMD /app --port $PORT || exit 1\n',
    reason: 'shell syntax',
  },
  {
    name: 'CMD with an ENTRYPOINT: its arguments would change',
    rule: 'SC1022',
    kind: 'dockerfile',
    code: 'FROM node:22-alpine\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD npm start\n',
    reason: 'ENTRYPOINT is set',
  },
  {
    name: 'ENTRYPOINT with a CMD',
    rule: 'SC1022',
    kind: 'dockerfile',
    code: 'FROM node:22-alpine\nENTRYPOINT node server.js\nCMD ["--port", "80"]\n',
    reason: 'CMD is set',
  },
  {
    name: 'a shell built-in',
    rule: 'SC1022',
    kind: 'dockerfile',
    code: 'FROM alpine:3.20\nCMD exec /app\n',
    reason: 'built-in',
  },
  {
    name: 'USER root set explicitly',
    rule: 'SC1001',
    kind: 'dockerfile',
    code: 'FROM alpine:3.20\nUSER root\nCMD ["/app"]\n',
    reason: 'explicitly',
  },
  {
    name: "the base image's own command (no CMD/ENTRYPOINT)",
    rule: 'SC1001',
    kind: 'dockerfile',
    code: 'FROM alpine:3.20\nCOPY app /app\n',
    reason: "base image's command",
  },
  {
    name: 'an image that starts as root by design',
    rule: 'SC1001',
    kind: 'dockerfile',
    code: 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nCMD ["nginx", "-g", "daemon off;"]\n',
    reason: 'starts as root',
  },
  {
    name: 'a privileged port',
    rule: 'SC1001',
    kind: 'dockerfile',
    code: 'FROM node:22-alpine\nEXPOSE 80\nCMD ["node", "s.js"]\n',
    reason: 'below 1024',
  },
  {
    name: 'the Dockerfile manages its own user',
    rule: 'SC1001',
    kind: 'dockerfile',
    code: 'FROM debian:12-slim\nRUN useradd -u 1000 app\nCOPY --chown=app . /app\nCMD ["/app/run"]\n',
    reason: 'ownership',
  },
  {
    name: 'a VOLUME and no shell known in the final stage',
    rule: 'SC1001',
    kind: 'dockerfile',
    code: 'FROM scratch\nCOPY app /app\nVOLUME /data\nCMD ["/app"]\n',
    reason: 'no RUN',
  },
  {
    name: 'cap_drop for a service that may start as root',
    rule: 'SC2003',
    kind: 'compose',
    code: 'services:\n  db:\n    image: postgres:16\n',
    reason: 'non-root `user:`',
  },
  {
    name: 'no-new-privileges:false set on purpose',
    rule: 'SC2004',
    kind: 'compose',
    code: 'services:\n  app:\n    image: x:1\n    security_opt:\n      - no-new-privileges:false\n',
    reason: 'false explicitly',
  },
  {
    name: 'ports 80/443 of a proxy',
    rule: 'SC2009',
    kind: 'compose',
    code: 'services:\n  proxy:\n    image: traefik:v3.1\n    ports:\n      - "443:443"\n',
    reason: 'meant to be public',
  },
  {
    name: 'a port with a variable',
    rule: 'SC2009',
    kind: 'compose',
    code: 'services:\n  app:\n    image: x:1\n    ports:\n      - "${PORT}:8080"\n',
    reason: 'variable',
  },
  {
    name: 'read_only for a third-party image',
    rule: 'SC2011',
    kind: 'compose',
    code: 'services:\n  db:\n    image: postgres:16\n',
    reason: 'not built from this repository',
  },
  {
    name: 'read_only: false set explicitly',
    rule: 'SC2011',
    kind: 'compose',
    code: 'services:\n  app:\n    build: .\n    read_only: false\n',
    reason: 'explicitly',
  },
  {
    name: 'restart: always (restarts after a reboot, on-failure would not)',
    rule: 'SC2016',
    kind: 'compose',
    code: 'services:\n  app:\n    image: x:1\n    restart: always\n',
    reason: 'after a reboot',
  },
  {
    name: 'a flow-mapping service',
    rule: 'SC2004',
    kind: 'compose',
    code: 'services:\n  app: {image: "x:1"}\n',
    reason: 'flow mapping',
  },
];

function parses(kind: FileKind, text: string): boolean {
  if (kind === 'compose') return parseDocument(text).errors.length === 0;
  return !auditText(kindById.dockerfile, text, 'Dockerfile').some((f) => f.rule === 'SC0001');
}

describe('fixers: before and after', () => {
  it.each(FIXED.map((c) => [`${c.rule} ${c.name}`, c] as const))('%s', (_name, c) => {
    expect(ruleCount(c.kind, c.before, c.rule)).toBeGreaterThan(0);
    const r = fixOnly(c.kind, c.before, c.rule);
    expect(r.text).toBe(c.after);
    expect(r.applied.find((a) => a.rule === c.rule)?.fixed).toBe(ruleCount(c.kind, c.before, c.rule));
    // the fixed file re-audits clean for the rule, parses, and a second pass changes nothing
    expect(ruleCount(c.kind, r.text, c.rule)).toBe(0);
    expect(parses(c.kind, r.text)).toBe(true);
    expect(fixOnly(c.kind, r.text, c.rule).text).toBe(r.text);
    expect(fixText(c.kind, r.text, 'x').text).toBe(fixText(c.kind, fixText(c.kind, r.text, 'x').text, 'x').text);
  });

  it('every fixer has cases of both kinds', () => {
    for (const id of FIXERS.keys()) {
      expect(FIXED.some((c) => c.rule === id)).toBe(true);
      expect(DECLINED.some((c) => c.rule === id)).toBe(true);
    }
  });
});

describe('fixers: cases left alone, with a reason', () => {
  it.each(DECLINED.map((c) => [`${c.rule} ${c.name}`, c] as const))('%s', (_name, c) => {
    expect(ruleCount(c.kind, c.code, c.rule)).toBeGreaterThan(0);
    const r = fixOnly(c.kind, c.code, c.rule);
    expect(r.text).toBe(c.code);
    expect(
      r.skipped
        .filter((s) => s.rule === c.rule)
        .map((s) => s.reason)
        .join(' | '),
    ).toContain(c.reason);
  });
});

describe('fixText', () => {
  it('applies every fixer together, in one pass that a second run leaves as it is', () => {
    const before =
      'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nADD app.py /app/\nCMD python /app/app.py\n';
    const r = fixText('dockerfile', before, 'Dockerfile');
    expect(r.text).toBe(
      'FROM debian:12-slim\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\nCOPY app.py /app/\nUSER 10001:10001\nCMD ["python", "/app/app.py"]\n',
    );
    expect(r.applied.map((a) => a.rule).sort()).toEqual(['SC1001', 'SC1007', 'SC1014', 'SC1015', 'SC1022']);
    expect(fixText('dockerfile', r.text, 'Dockerfile').text).toBe(r.text);
  });

  it('respects suppressions and rules turned off', () => {
    const text =
      'FROM debian:12-slim\n# secure-container-ignore SC1014: recommends needed for fonts\nRUN apt-get install -y fonts && rm -rf /var/lib/apt/lists/*\n';
    expect(fixText('dockerfile', text, 'Dockerfile', { rules: { SC1001: 'off', SC1022: 'off' } }).text).toBe(text);
    const off = 'FROM debian:12-slim\nRUN apt-get install -y x && rm -rf /var/lib/apt/lists/*\nCMD ["x"]\n';
    expect(fixText('dockerfile', off, 'Dockerfile', { rules: { SC1014: 'off', SC1001: 'off' } }).text).toBe(off);
  });

  it('leaves a file with parse errors alone', () => {
    const r = fixText('compose', 'services:\n  a: [\n', 'compose.yaml');
    expect(r.refused).toMatch(/parse errors/);
    expect(r.text).toBe('services:\n  a: [\n');
  });

  it('never crashes, never breaks a file and is idempotent on every rule case and the corpus', () => {
    const texts: { kind: FileKind; text: string }[] = [];
    for (const m of ruleModules) {
      const kind = m.rule.meta.kind;
      if (kind === 'any') continue;
      for (const c of [...m.cases.valid, ...m.cases.invalid]) texts.push({ kind, text: c.code });
    }
    const corpus = fileURLToPath(new URL('../../../test/fixtures/audit/corpus', import.meta.url));
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else {
          const kind = detectKind(name);
          if (kind) texts.push({ kind, text: readFileSync(p, 'utf8') });
        }
      }
    };
    walk(corpus);
    expect(texts.length).toBeGreaterThan(150);
    let changed = 0;
    for (const { kind, text } of texts) {
      const path = kind === 'dockerfile' ? 'Dockerfile' : 'compose.yaml';
      const r = fixText(kind, text, path);
      const before = auditText(kindById[kind], text, path);
      if (r.text === text) continue;
      changed++;
      // parses when it did, no rule has more findings, a second pass changes nothing
      expect(parses(kind, r.text)).toBe(true);
      const count = (fs: typeof before, id: string): number => fs.filter((f) => f.rule === id).length;
      for (const id of new Set(r.findings.map((f) => f.rule)))
        expect(count(r.findings, id)).toBeLessThanOrEqual(count(before, id));
      expect(r.findings.length).toBeLessThan(before.length);
      expect(fixText(kind, r.text, path).text).toBe(r.text);
    }
    expect(changed).toBeGreaterThan(30);
  });
});

describe('helpers', () => {
  it('applyEdits refuses overlapping edits and keeps insertions at one offset in order', () => {
    expect(
      applyEdits('abcdef', [
        { start: 1, end: 3, text: 'X' },
        { start: 2, end: 4, text: 'Y' },
      ]),
    ).toBeNull();
    expect(
      applyEdits('ab', [
        { start: 1, end: 1, text: '1' },
        { start: 1, end: 1, text: '2' },
      ]),
    ).toBe('a12b');
  });

  it('scanShell gives word offsets, drops redirections and marks what it will not touch', () => {
    const t = 'apt-get install -y "a b" 2>/dev/null && echo $(date)';
    const s = scanShell(t, 0, t.length, () => 0);
    expect(s.commands[0].words.map((w) => [w.value, t.slice(w.start, w.end)])).toEqual([
      ['apt-get', 'apt-get'],
      ['install', 'install'],
      ['-y', '-y'],
      ['a b', '"a b"'],
    ]);
    expect(s.commands[0].redirected).toBe(true);
    expect(s.complex).toBe(true);
    const lines = new Lines('a\r\nbc\n');
    expect([lines.line(0), lines.line(1), lines.lineOf(4)]).toEqual(['a', 'bc', 1]);
  });
});

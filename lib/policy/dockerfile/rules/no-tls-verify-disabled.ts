import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasOption, isPip } from '../model.js';
import type { SimpleCommand } from '../shell.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

/** Environment variables that switch TLS verification off: name → predicate on the value. */
export const INSECURE_ENV: Partial<Record<string, (v: string) => boolean>> = {
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v.trim() === '0',
  PYTHONHTTPSVERIFY: (v) => v.trim() === '0',
  NPM_CONFIG_STRICT_SSL: (v) => v.trim().toLowerCase() === 'false',
  GIT_SSL_NO_VERIFY: (v) => v.trim() !== '' && v.trim() !== '0' && v.trim().toLowerCase() !== 'false',
  PIP_TRUSTED_HOST: (v) => v.trim() !== '',
  GOINSECURE: (v) => v.trim() !== '',
  GONOSUMDB: () => false,
  CURL_CA_BUNDLE: (v) => v.trim() === '',
};

function envIsInsecure(name: string, value: string | null): boolean {
  const p = INSECURE_ENV[name.toUpperCase()];
  return p !== undefined && value !== null && p(value);
}

/** Reason string when a command disables TLS verification, else null. */
export function insecureTls(c: SimpleCommand): string | null {
  const p = c.program;
  for (const [k, v] of c.assigns) if (envIsInsecure(k, v)) return `${k}=${v}`;
  if (p === 'curl' && hasOption(c, '-k', '--insecure')) return 'curl --insecure';
  if (p === 'wget' && hasOption(c, '--no-check-certificate')) return 'wget --no-check-certificate';
  if (isPip(c) && hasOption(c, '--trusted-host')) return 'pip --trusted-host';
  // one test for "is it there" and "where": a key the two disagreed on crashed the rule
  const ssl = p === 'npm' || p === 'yarn' || p === 'pnpm' ? c.cmd.findIndex((a) => /^(?:"|')?strict-ssl/.test(a)) : -1;
  if (ssl !== -1) {
    const key = c.cmd[ssl] ?? '';
    const val = key.includes('=') ? key.split('=')[1] : c.cmd[ssl + 1];
    if (val === 'false') return `${p} config set strict-ssl false`;
  }
  if (p === 'git' && c.cmd.some((a) => /^http\.sslverify(=false)?$/i.test(a))) {
    const i = c.cmd.findIndex((a) => /^http\.sslverify/i.test(a));
    const val = c.cmd[i].includes('=') ? c.cmd[i].split('=')[1] : c.cmd.at(i + 1);
    if ((val ?? '').toLowerCase() === 'false') return 'git http.sslVerify false';
  }
  if (
    (p === 'yum' || p === 'dnf' || p === 'yum-config-manager' || p === 'microdnf') &&
    c.cmd.some((a) => /sslverify['"]?=['"]?(?:0|false|no)\b/i.test(a))
  )
    return `${p} sslverify=0`;
  if (p === 'export')
    for (const a of c.cmd.slice(1)) {
      const eq = a.indexOf('=');
      if (eq > 0 && envIsInsecure(a.slice(0, eq), a.slice(eq + 1))) return a;
    }
  return null;
}

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1009',
    name: 'no-tls-verify-disabled',
    principle: 'P3',
    severity: 'error',
    message: 'TLS certificate verification is disabled',
    description:
      'Switching off certificate checks (curl -k, wget --no-check-certificate, pip --trusted-host, NODE_TLS_REJECT_UNAUTHORIZED=0, strict-ssl false, GIT_SSL_NO_VERIFY…) lets anyone on the network path replace what the build downloads. A corporate proxy is fixed by installing its CA certificate, not by disabling verification.',
    fix: 'Remove the flag/variable; if a proxy re-signs TLS, COPY its CA certificate and run `update-ca-certificates`.',
    refs: [
      'CKV2_DOCKER_2',
      'CKV2_DOCKER_3',
      'CKV2_DOCKER_4',
      'CKV2_DOCKER_5',
      'CKV2_DOCKER_6',
      'CKV2_DOCKER_12',
      'CKV2_DOCKER_13',
      'CKV2_DOCKER_14',
      'CKV2_DOCKER_15',
      'CKV2_DOCKER_16',
      'CKV2_DOCKER_18',
    ],
  }),
  check({ model, report }) {
    for (const s of model.stages)
      for (const ins of s.instructions) {
        if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
          for (const p of ins.properties)
            if (envIsInsecure(p.name, p.value))
              report({
                line: p.line,
                message: `TLS certificate verification is disabled (${ins.keyword} ${p.name}=${p.value})`,
              });
        }
      }
    for (const run of model.runs)
      for (const c of run.commands) {
        const why = insecureTls(c);
        if (why) report({ line: c.line, message: `TLS certificate verification is disabled (${why})` });
      }
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM alpine:3.20\nRUN curl -fsSL https://example.com -o /x\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n` },
    { name: '-k in another command', code: `FROM alpine:3.20\nRUN curl -fsSLo /x https://e.example && sort -k 2 /x\n` },
  ],
  invalid: [
    { code: `FROM alpine:3.20\nRUN curl -ksSL https://e.example -o /x\n`, errors: [{ rule: 'SC1009', line: 2 }] },
    {
      code: `FROM alpine:3.20\nRUN wget --no-check-certificate https://e.example\n`,
      errors: [{ rule: 'SC1009', line: 2 }],
    },
    {
      code: `FROM python:3.12-slim\nRUN pip install --trusted-host pypi.example -r r.txt\n`,
      errors: [{ rule: 'SC1009', line: 2 }],
    },
    { code: `FROM node:22-alpine\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n`, errors: [{ rule: 'SC1009', line: 2 }] },
    { code: `FROM node:22-alpine\nRUN npm config set strict-ssl false\n`, errors: [{ rule: 'SC1009', line: 2 }] },
    {
      name: 'a quoted key does not crash the rule',
      code: `FROM node:22-alpine\nRUN npm config set '"strict-ssl' false\n`,
      errors: [{ rule: 'SC1009', line: 2 }],
    },
    { code: `FROM alpine:3.20\nRUN git config --global http.sslVerify false\n`, errors: [{ rule: 'SC1009', line: 2 }] },
    { code: `FROM python:3.12-slim\nRUN PYTHONHTTPSVERIFY=0 python x.py\n`, errors: [{ rule: 'SC1009', line: 2 }] },
    { code: `FROM alpine:3.20\nARG GIT_SSL_NO_VERIFY=1\n`, errors: [{ rule: 'SC1009', line: 2 }] },
  ],
};

import type { DockerfileRule, InvalidCase, RuleCases, ValidCase } from '../../types.js';
import { hasAnyOption, isPip } from '../model.js';
import type { SimpleCommand } from '../shell.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runFacts, runsAny, stageInstructions, type Keyword } from '../facts.js';

/** the programs insecureTls looks at (besides assignments and pip) */
const TLS_PROGRAMS = [
  'curl',
  'wget',
  'npm',
  'yarn',
  'pnpm',
  'git',
  'yum',
  'dnf',
  'tdnf',
  'microdnf',
  'yum-config-manager',
  'dnf-config-manager',
  'export',
];
const KEYWORDS: readonly Keyword[] = ['ENV', 'ARG'];
const TLS_PROGRAM_SET = new Set(TLS_PROGRAMS);
const YUM_FAMILY = ['yum', 'dnf', 'tdnf', 'microdnf', 'yum-config-manager', 'dnf-config-manager'];
const CURL_INSECURE = ['-k', '--insecure'];
const WGET_INSECURE = ['--no-check-certificate'];
const PIP_TRUSTED = ['--trusted-host'];

/** Environment variables that switch TLS verification off: name → predicate on the value. */
export const INSECURE_ENV: Partial<Record<string, (v: string) => boolean>> = {
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v.trim() === '0',
  PYTHONHTTPSVERIFY: (v) => v.trim() === '0',
  NPM_CONFIG_STRICT_SSL: (v) => v.trim().toLowerCase() === 'false',
  // git only asks whether the variable is set: GIT_SSL_NO_VERIFY=0 (or empty) disables verification too
  GIT_SSL_NO_VERIFY: () => true,
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
  for (let j = 0; j < c.assigns.length; j++) {
    const [k, v] = c.assigns[j];
    if (envIsInsecure(k, v)) return `${k}=${v}`;
  }
  // every test below is for one of these programs or pip (pip… or python…)
  if (!TLS_PROGRAM_SET.has(p) && p.charCodeAt(0) !== 112 /* p */) return null;
  if (p === 'curl') return hasAnyOption(c, CURL_INSECURE) ? 'curl --insecure' : null;
  if (p === 'wget') return hasAnyOption(c, WGET_INSECURE) ? 'wget --no-check-certificate' : null;
  if (isPip(c) && hasAnyOption(c, PIP_TRUSTED)) return 'pip --trusted-host';
  // one test for "is it there" and "where": a key the two disagreed on crashed the rule
  const ssl = p === 'npm' || p === 'yarn' || p === 'pnpm' ? c.cmd.findIndex((a) => /^(?:"|')?strict-ssl/.test(a)) : -1;
  // `npm config set strict-ssl false`, `npm set …`, `yarn config set …` (not `npm install strict-ssl false`)
  if (ssl !== -1 && c.cmd.slice(1, ssl).includes('set')) {
    const key = c.cmd[ssl] ?? '';
    const val = key.includes('=') ? key.split('=')[1] : c.cmd[ssl + 1];
    if (val === 'false') return `${p} config set strict-ssl false`;
  }
  if (p === 'git' && c.cmd.some((a) => /^http\.sslverify(=false)?$/i.test(a))) {
    const i = c.cmd.findIndex((a) => /^http\.sslverify/i.test(a));
    const val = c.cmd[i].includes('=') ? c.cmd[i].split('=')[1] : c.cmd.at(i + 1);
    if ((val ?? '').toLowerCase() === 'false') return 'git http.sslVerify false';
  }
  if (YUM_FAMILY.includes(p) && c.cmd.some((a) => /sslverify['"]?=['"]?(?:0|false|no)\b/i.test(a)))
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
      'Switching off certificate checks (curl -k, wget --no-check-certificate, pip --trusted-host or PIP_TRUSTED_HOST, NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0, npm/yarn strict-ssl false or NPM_CONFIG_STRICT_SSL=false, GIT_SSL_NO_VERIFY set to any value, yum/dnf sslverify=0) in RUN, ENV or ARG lets anyone on the network path replace what the build downloads. A corporate proxy is fixed by installing its CA certificate, not by disabling verification.',
    fix: 'Remove the flag/variable; if a proxy re-signs TLS, COPY its CA certificate and run `update-ca-certificates`.',
    sameAs: [
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
    ],
  }),
  check({ model, report }) {
    // ENV, then ARG: findings on different instructions never share a line, so the order does not matter
    for (const keyword of KEYWORDS) {
      const list = stageInstructions(model, keyword);
      for (let k = 0; k < list.length; k++) {
        const props = list[k].properties;
        for (let j = 0; j < props.length; j++) {
          const p = props[j];
          if (envIsInsecure(p.name, p.value))
            report({
              line: p.line,
              message: `TLS certificate verification is disabled (${keyword} ${p.name}=${p.value})`,
            });
        }
      }
    }
    const f = runFacts(model);
    if (!f.assigns && !f.pip && !runsAny(model, TLS_PROGRAMS)) return;
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      const cmds = runs[r].commands;
      for (let k = 0; k < cmds.length; k++) {
        const why = insecureTls(cmds[k]);
        if (why) report({ line: cmds[k].line, message: `TLS certificate verification is disabled (${why})` });
      }
    }
  },
};

/** A case from a checkov-style fixture: FROM, then one instruction a line (a line may hold continuations). */
function fixture(from: string, base: string, lines: string[]): InvalidCase {
  const code = [base, ...lines].join('\n') + '\n';
  let line = 2;
  const errors: { rule: string; line: number }[] = [];
  for (const l of lines) {
    errors.push({ rule: 'SC1009', line });
    line += l.split('\n').length;
  }
  return { name: `${from} examples`, from: [from], code, errors };
}
/** The same lines as one valid case. */
const quiet = (from: string, base: string, lines: string[]): ValidCase => ({
  name: `${from} examples`,
  from: [from],
  code: [base, ...lines].join('\n') + '\n',
});

export const cases: RuleCases = {
  valid: [
    quiet('CKV2_DOCKER_2', 'FROM alpine:3.20', [
      'RUN curl https://example.com',
      'RUN curl --fake https://example.com',
      'RUN curl -lol https://example.com',
      'RUN curl https://example.com | grep -k lol',
      'RUN curl https://example.com; grep /etc/passwd -k lol',
      'RUN curl https://example.com &&\\\n    grep /etc/passwd -k lol',
    ]),
    quiet('CKV2_DOCKER_3', 'FROM alpine:3.20', [
      'RUN wget https://example.com',
      'RUN wget --no-progress -o file https://example.com',
      'RUN wget https://example.com | grep "--no-check-certificate" /etc/passwd',
      'RUN wget https://example.com &&\\\n    echo "--no-check-certificate"',
    ]),
    quiet('CKV2_DOCKER_4', 'FROM python:3.12-slim', [
      'RUN pip install checkov',
      'RUN pip3 install checkov',
      'RUN pip install checkov | grep "--trusted-host"',
      'RUN pip3 install checkov; grep "--trusted-host"',
      'RUN pip install checkov &&\\\n    echo "--trusted-host"',
    ]),
    quiet('CKV2_DOCKER_5', 'FROM python:3.12-slim', [
      'ENV PYTHONHTTPSVERIFY=1',
      'ENV PYTHONHTTPSVERIFY 666',
      'ARG PYTHONHTTPSVERIFY=1',
      'ENV LOL=666 ASDFPYTHONHTTPSVERIFY=0',
      'ARG PYTHONHTTPSVERIFYLOL=0',
      'RUN PYTHONHTTPSVERIFY=1 python example.py',
      'RUN PYTHONHTTPSVERIFY="0\\"" python example.py',
      'RUN PYTHONHTTPSVERIFYLOL=0 python example.py',
    ]),
    quiet('CKV2_DOCKER_6', 'FROM node:22-alpine', [
      'ENV NODE_TLS_REJECT_UNAUTHORIZED=1',
      'ENV NODE_TLS_REJECT_UNAUTHORIZED 666',
      'ARG NODE_TLS_REJECT_UNAUTHORIZED=1',
      'ENV LOL=666 ASDFNODE_TLS_REJECT_UNAUTHORIZED=0',
      'RUN NODE_TLS_REJECT_UNAUTHORIZED="1" node example.js',
      "RUN NODE_TLS_REJECT_UNAUTHORIZED='0\\'' node example.js",
      'RUN NODE_TLS_REJECT_UNAUTHORIZEDLOL=0 node example.js',
    ]),
    quiet('CKV2_DOCKER_12', 'FROM node:22-alpine', [
      'ENV NPM_CONFIG_STRICT_SSL=true',
      'ENV NPM_CONFIG_STRICT_SSL Nyota_Uhura',
      'ARG npm_config_strict_ssl=true',
      'ENV LOL=123 ASDFNPM_CONFIG_STRICT_SSL=false',
      'ARG NPM_CONFIG_STRICT_SSLLOL=false',
      'RUN NPM_CONFIG_STRICT_SSL=true npm install',
      'RUN npm_config_strict_ssllol=false npm install',
    ]),
    quiet('CKV2_DOCKER_13', 'FROM node:22-alpine', [
      'RUN npm config set strict-ssl=true',
      'RUN yarn config set "strict-ssl" true',
      'RUN npm set strict-ssl true',
      'RUN npm config set audit false',
      'RUN yarn set audit false',
      'RUN npm config set strict-ssl true || false',
      'RUN npm config get strict-ssl || false',
      'RUN npm install strict-ssl false',
      'RUN echo false | yarn install strict-ssl true > out.txt',
    ]),
    quiet('CKV2_DOCKER_14', 'FROM alpine:3.20', [
      'ENV ASDFGIT_SSL_NO_VERIFY=1',
      'ARG GIT_SSL_NO_VERIFYASDF=1',
      'ENV LP=Meteora GIT_SSL_NO_VERIFYASDF=1',
      'RUN unset GIT_SSL_NO_VERIFY',
      'RUN git clone https://github.com/bridgecrewio/checkov.git awesome',
      'RUN ASDFGIT_SSL_NO_VERIFY=1 git clone https://github.com/bridgecrewio/checkov.git awesome',
      'RUN GIT_SSL_NO_VERIFYASDF=0 git clone https://github.com/bridgecrewio/checkov.git awesome',
    ]),
    quiet('CKV2_DOCKER_15', 'FROM fedora:40', [
      'RUN yum-config-manager --disable updates',
      'RUN yum-config-manager --disable sslverify',
      'RUN yum-config-manager --setopt=install_weak_deps=False --save',
      'RUN yum-config-manager --save --setopt=something-base.sslverify=1',
      'RUN yum-config-manager --save --setopt=sslverify=yes',
      'RUN yum-config-manager --save --setopt=notthedroids=0',
      'RUN yum-config-manager --save --setopt=install_weak_deps=False && echo "--setopt=main.sslverify=0"',
    ]),
    quiet('CKV2_DOCKER_16', 'FROM python:3.12-slim', [
      'RUN pip3 install checkov',
      'RUN PIP_TRUSTED_HOSTASDF=test pip install checkov',
      'RUN ASDFPIP_TRUSTED_HOST=test pip install checkov',
      'RUN echo PIP_TRUSTED_HOST | pip install checkov &&\\\n    echo "PIP_TRUSTED_HOST"',
    ]),
    { code: `FROM alpine:3.20\nRUN curl -fsSL https://example.com -o /x\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n` },
    { name: '-k in another command', code: `FROM alpine:3.20\nRUN curl -fsSLo /x https://e.example && sort -k 2 /x\n` },
  ],
  invalid: [
    fixture('CKV2_DOCKER_2', 'FROM alpine:3.20', [
      'RUN curl -Lkv https://example.com',
      'RUN curl --insecure https://example.com',
      'RUN echo -n -Lv https://example.com && curl -k https://example.com',
      'RUN curl \\\n    --insecure \\\n    https://example.com',
    ]),
    fixture('CKV2_DOCKER_3', 'FROM alpine:3.20', [
      'RUN wget --no-progress --no-check-certificate -o file https://example.com',
      'RUN wget \\\n    --no-check-certificate \\\n    https://example.com',
      'RUN echo "panw" && wget --no-check-certificate https://example.com',
    ]),
    fixture('CKV2_DOCKER_4', 'FROM python:3.12-slim', [
      'RUN pip install checkov --trusted-host pypi.org --trusted-host files.pythonhosted.org',
      'RUN pip3 install checkov --trusted-host=pypi.python.org --trusted-host=pypi.org',
      'RUN pip \\\n    --trusted-host pypi.org \\\n    install checkov',
      'RUN echo "panw" && pip --trusted-host=pypi.python.org install checkov',
    ]),
    fixture('CKV2_DOCKER_5', 'FROM python:3.12-slim', [
      'ENV PYTHONHTTPSVERIFY 0',
      'ENV PYTHONHTTPSVERIFY="0"',
      "ARG PYTHONHTTPSVERIFY='0'",
      'ENV LOL=666 PYTHONHTTPSVERIFY=0',
      'RUN PYTHONHTTPSVERIFY=0 python example.py',
      "RUN LOL='123' PYTHONHTTPSVERIFY='0' python example.py",
      'RUN ABC=123 echo test; PYTHONHTTPSVERIFY=0 python example.py ;DEF=456 echo lol;',
      'RUN TEST_123="456" \\\n    PYTHONHTTPSVERIFY=0 \\\n    python example.py',
    ]),
    fixture('CKV2_DOCKER_6', 'FROM node:22-alpine', [
      'ENV NODE_TLS_REJECT_UNAUTHORIZED 0',
      "ENV NODE_TLS_REJECT_UNAUTHORIZED='0'",
      'ARG NODE_TLS_REJECT_UNAUTHORIZED=0',
      'ENV NODE_TLS_REJECT_UNAUTHORIZED=0 LOL=666',
      'RUN NODE_TLS_REJECT_UNAUTHORIZED="0" TEST=lol node example.js',
      'RUN ABC=123 echo test&&NODE_TLS_REJECT_UNAUTHORIZED=0 node example.js&&DEF=456 echo lol;',
      'RUN ABC=123 echo test|NODE_TLS_REJECT_UNAUTHORIZED=0 node example.js|DEF=456 echo lol;',
    ]),
    fixture('CKV2_DOCKER_12', 'FROM node:22-alpine', [
      'ENV NPM_CONFIG_STRICT_SSL false',
      'ENV NPM_CONFIG_STRICT_SSL="false"',
      "ARG NPM_CONFIG_STRICT_SSL='false'",
      'ENV npm_config_strict_ssl=false LOL=555',
      'RUN NPM_CONFIG_STRICT_SSL=false npm ci',
      "RUN LOL='123' npm_config_strict_ssl='false' npm ci",
      'RUN TEST_123="456" \\\n    NPM_CONFIG_STRICT_SSL=false \\\n    npm ci',
    ]),
    fixture('CKV2_DOCKER_13', 'FROM node:22-alpine', [
      'RUN npm config set strict-ssl=false',
      'RUN npm config set "strict-ssl"="false"',
      "RUN npm config set 'strict-ssl' false",
      'RUN npm      config     set     "strict-ssl"   "false"',
      'RUN npm set strict-ssl false',
      'RUN npm c set strict-ssl false',
      'RUN yarn config set strict-ssl false --global',
      'RUN yarn set \'strict-ssl\' "false"',
      'RUN npm set strict-ssl false && npm install --only=development',
    ]),
    fixture('CKV2_DOCKER_14', 'FROM alpine:3.20', [
      'ENV GIT_SSL_NO_VERIFY 0',
      'ENV GIT_SSL_NO_VERIFY="0"',
      'ARG GIT_SSL_NO_VERIFY=true',
      'ENV GIT_SSL_NO_VERIFY ${GIT_SSL_NO_VERIFY}',
      'RUN GIT_SSL_NO_VERIFY=0 git clone https://github.com/bridgecrewio/checkov.git',
      'RUN export GIT_SSL_NO_VERIFY=1 && git clone --depth 1 https://github.com/bridgecrewio/checkov.git',
      'RUN cd $HOME && export GIT_SSL_NO_VERIFY=true \\\n    && git clone https://github.com/bridgecrewio/checkov.git',
      'RUN apk add git && GIT_SSL_NO_VERIFY=true git clone https://github.com/bridgecrewio/checkov.git',
    ]),
    fixture('CKV2_DOCKER_15', 'FROM fedora:40', [
      'RUN dnf-config-manager --save --setopt=sslverify=0',
      'RUN dnf-config-manager --setopt=something.sslverify=False --save',
      'RUN yum config-manager --save --setopt=sslverify=0',
      'RUN dnf           config-manager           --save           --setopt=sslverify=0',
      'RUN yum-config-manager --setopt="epel.sslverify=0" --save',
      'RUN yum-config-manager --save --setopt=\\*.sslverify=no',
      'RUN yum-config-manager --save --setopt=sslverify="No"',
      'RUN echo "prodsec" && yum-config-manager --setopt=\'lol.sslverify\'=False --save',
    ]),
    fixture('CKV2_DOCKER_16', 'FROM python:3.12-slim', [
      'ENV PIP_TRUSTED_HOST pypi.python.org',
      'ENV PIP_TRUSTED_HOST="pypi.python.org"',
      "ARG PIP_TRUSTED_HOST='pypi.python.org'",
      'ENV LOL=123 PIP_TRUSTED_HOST=pypi.python.org',
      'RUN export PIP_TRUSTED_HOST=pypi.python.org && pip install checkov',
      "RUN PIP_TRUSTED_HOST='pypi.python.org' CHECKOV='AWESOME' pip install checkov",
      'RUN TEST_123="456" PIP_TRUSTED_HOST=pypi.python.org geordi="la forge" pip install checkov',
    ]),
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

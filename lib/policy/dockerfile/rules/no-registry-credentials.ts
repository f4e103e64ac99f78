import type { DockerfileRule, RuleCases } from '../../types.js';
import { isSecretName, isSecretValue } from '../../secrets.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { mayContain, stageInstructions, type Keyword } from '../facts.js';

// Package-registry credentials (issue 19). SC1013 already flags .npmrc, .pypirc, .netrc and
// credentials files, SC1012 names like *_TOKEN and literal user:password@ values: this rule adds the
// other registry configuration files, the registry-specific variable names, URLs whose userinfo
// reaches the image config through build args (`https://${USER}:${PASS}@…`), a token as the
// username (`https://<token>@…`), and credentials written literally in RUN lines.

/** Registry credential stores not covered by SC1013 (pip, Maven, Composer, yarn classic, Bundler). */
const REGISTRY_FILE =
  /(?:^|\/)(?:pip\.conf|pip\.ini|settings\.xml|settings-security\.xml|auth\.json|\.yarnrc|\.bundle\/config)\/?$/i;

/** Variable names of registry credentials that the generic secret-name test misses. */
const REGISTRY_NAME =
  /^(?:NuGetPackageSourceCredentials_\w+|npm_config_(?:\/\/\S*:)?_(?:auth|authtoken|password)|YARN_NPM_AUTH_IDENT|BUNDLE_(?!MIRROR__)[A-Z0-9]+(?:___?[A-Z0-9]+)*__[A-Z0-9]+)$/i;

/** http(s) URL userinfo, up to the `@` (one bounded class, no backtracking across words). */
const USERINFO = /\b(?:sparse\+)?https?:\/\/([^\s/@]{1,512})@/gi;

/**
 * Does a value carry credentials in a URL? `user:password@`, a long token as the user, or (when
 * `expansions`, for ARG/ENV whose expanded value lands in the image config) `${VAR}@`.
 */
export function urlCredentials(value: string, expansions: boolean): boolean {
  // USERINFO cannot match without an `@`: most values and words have none (matchAll is not started)
  if (!value.includes('@')) return false;
  for (const m of value.matchAll(USERINFO)) {
    const info = m[1];
    if (/[$`]/.test(info)) {
      if (expansions) return true;
      continue;
    }
    const colon = info.indexOf(':');
    if (colon >= 0 ? colon < info.length - 1 : info.length >= 16) return true;
  }
  return false;
}

/** npm-style auth keys (`//host/:_authToken=…`, `_auth=…`, yarn berry `npmAuthToken: …`) with a literal value. */
const AUTH_ASSIGN =
  /(?::_(?:authToken|auth|password)|^_(?:authToken|auth)|npmAuth(?:Token|Ident))\s*[=:]\s*([^\s'"]*)/i;
const AUTH_KEY = /:_(?:authToken|auth|password)$/i;

const COPY_KEYWORDS: readonly Keyword[] = ['COPY', 'ADD'];
const VAR_KEYWORDS: readonly Keyword[] = ['ARG', 'ENV'];

const literal = (v: string): boolean => v !== '' && !v.startsWith('$');

/**
 * Whether a RUN word can match USERINFO (needs an `@`), AUTH_ASSIGN or AUTH_KEY (`_auth…`/`_password`
 * need an `_`; `npmAuthToken:`/`npmAuthIdent=` are 13 characters at least): most words are skipped
 * without running the three regular expressions.
 */
const mayHoldCredentials = (w: string): boolean => w.length >= 13 || w.includes('@') || w.includes('_');
/**
 * What a word must contain for the three expressions to match: `@` (USERINFO), `_` (the `_auth…`
 * and `_password` keys), or `npmAuth` (the yarn berry keys, case-insensitive as AUTH_ASSIGN).
 */
const CREDENTIAL_TEXT = /[@_]|npmauth/i;

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1034',
    name: 'no-registry-credentials-in-layers',
    principle: 'P4',
    severity: 'error',
    message: 'Package registry credentials reach an image layer or its config',
    description:
      "A registry token or password in a COPYed `pip.conf`, `settings.xml`, `auth.json`, `.yarnrc` or `.bundle/config`, in an ARG/ENV (`NuGetPackageSourceCredentials_*`, `npm_config_//host/:_authToken`, `BUNDLE_<HOST>`, a URL with `user:password@` or `${TOKEN}@`), or written literally by a RUN line stays in the image: layers and the image config are readable by anyone who can pull it. Mount the credentials with `RUN --mount=type=secret,id=<name>` for the install step and turn them into the tool's form inside that RUN (`--package-registry-secret`). Values are never printed.",
    fix: 'Use `RUN --mount=type=secret,id=<name>,required=true` and read /run/secrets/<name> inside the install RUN (generate with `--package-registry <url> --package-registry-secret <name>`).',
    related: ['DS-0031', 'CIS-4.10'],
  }),
  check({ model, report }) {
    for (const keyword of COPY_KEYWORDS)
      for (const ins of stageInstructions(model, keyword)) {
        const args = ins.json ?? ins.words;
        // sources: every argument but the destination. REGISTRY_FILE starts at `^` or a `/`, so a
        // leading `./` changes nothing (no name starts with `/`): tested as written
        for (let k = 0; k < args.length - 1; k++)
          if (REGISTRY_FILE.test(args[k]))
            report({
              line: ins.line,
              message: `A package registry credential file is copied into the image (${args[k]})`,
            });
      }
    // ARG then ENV: findings on different instructions never share a line, so the order does not matter
    for (const keyword of VAR_KEYWORDS)
      for (const ins of stageInstructions(model, keyword))
        for (const p of ins.properties) {
          const value = p.value ?? '';
          // reported only for a registry name or a URL with userinfo (USERINFO needs an `@`): most
          // properties are neither, and the secret tests below are not run for them
          if (!value.includes('@') && !REGISTRY_NAME.test(p.name)) continue;
          // SC1012 reports generic secret names and literal credential values
          if (isSecretName(p.name) || (value !== '' && isSecretValue(value))) continue;
          if (REGISTRY_NAME.test(p.name) && (keyword === 'ARG' || value !== ''))
            report({ line: p.line, message: `${keyword} ${p.name} holds package registry credentials` });
          else if (urlCredentials(value, true))
            report({ line: p.line, message: `${keyword} ${p.name} holds a URL with credentials (user:password@)` });
        }
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      // a RUN none of whose words can hold `@`, `_` or `npmAuth` (most) passes mayHoldCredentials for none
      if (!mayContain(runs[r].instr, model.escapeChar, CREDENTIAL_TEXT)) continue;
      const commands = runs[r].commands;
      for (let k = 0; k < commands.length; k++) {
        const c = commands[k];
        // the words are the assigned values, then argv (read in place: no array built a command)
        const na = c.assigns.length;
        const n = na + c.argv.length;
        for (let i = 0; i < n; i++) {
          const w = i < na ? c.assigns[i][1] : c.argv[i - na];
          if (!mayHoldCredentials(w)) continue;
          if (urlCredentials(w, false)) {
            report({ line: c.line, message: 'RUN writes a URL with literal credentials (user:password@)' });
            break;
          }
          const m = AUTH_ASSIGN.exec(w);
          if (
            (m && literal(m[1])) ||
            (AUTH_KEY.test(w) && i + 1 < n && literal(i + 1 < na ? c.assigns[i + 1][1] : c.argv[i + 1 - na]))
          ) {
            report({ line: c.line, message: 'RUN writes a package registry token literally' });
            break;
          }
        }
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'the generated form: secret mount, token expanded inside the RUN',
      code: `FROM node:22-bookworm-slim\nRUN --mount=type=secret,id=npm_token,required=true \\\n    export SC_REGISTRY_TOKEN="$(cat /run/secrets/npm_token)" \\\n    && printf '%s\\n' 'registry=https://npm.example/' '//npm.example/:_authToken=\${SC_REGISTRY_TOKEN}' > "$HOME/.npmrc" \\\n    && npm ci && rm -f "$HOME/.npmrc"\n`,
    },
    {
      name: 'pip index with credentials assembled from the secret',
      code: `FROM python:3.12-slim\nRUN --mount=type=secret,id=pip_auth export PIP_INDEX_URL="https://$(cat /run/secrets/pip_auth)@pypi.example/simple/" && pip install -r requirements.txt\n`,
    },
    { name: 'a registry URL without credentials', code: `FROM golang:1.24\nENV GOPROXY=https://goproxy.example/\n` },
    {
      name: 'Bundler mirror setting',
      code: `FROM ruby:3.3\nENV BUNDLE_MIRROR__HTTPS://RUBYGEMS__ORG/=https://gems.example/\n`,
    },
    { name: 'ssh user is not a credential', code: `FROM alpine:3.20\nRUN git clone ssh://git@github.com/o/r.git\n` },
    { code: `FROM maven:3.9-eclipse-temurin-21\nCOPY pom.xml ./\nCOPY src/ ./src/\n` },
  ],
  invalid: [
    { code: `FROM python:3.12-slim\nCOPY pip.conf /etc/pip.conf\n`, errors: [{ rule: 'SC1034', line: 2 }] },
    {
      code: `FROM maven:3.9-eclipse-temurin-21\nCOPY settings.xml /root/.m2/\n`,
      errors: [{ rule: 'SC1034', line: 2 }],
    },
    { code: `FROM composer:2\nCOPY ["auth.json", "composer.json", "./"]\n`, errors: [{ rule: 'SC1034', line: 2 }] },
    {
      name: 'NuGet credentials variable',
      code: `FROM mcr.microsoft.com/dotnet/sdk:9.0\nARG NuGetPackageSourceCredentials_internal\n`,
      errors: [{ rule: 'SC1034', line: 2 }],
    },
    {
      name: 'Bundler host credentials',
      code: `FROM ruby:3.3\nENV BUNDLE_GEMS__EXAMPLE__COM=deploy:abc\n`,
      errors: [{ rule: 'SC1034', line: 2 }],
    },
    {
      name: 'build args expanded into a URL in ENV',
      code: `FROM python:3.12-slim\nARG PIP_USER\nENV PIP_INDEX_URL=https://\${PIP_USER}:\${PIP_PW}@pypi.example/simple/\n`,
      errors: [{ rule: 'SC1034', line: 3 }],
    },
    {
      name: 'a token as the URL user',
      code: `FROM golang:1.24\nENV GOPROXY=https://0123456789abcdef0123@goproxy.example/\n`,
      errors: [{ rule: 'SC1034', line: 2 }],
    },
    {
      name: 'literal token written by RUN',
      code: `FROM node:22-alpine\nRUN echo "//npm.example/:_authToken=abc123" > .npmrc && npm ci\n`,
      errors: [{ rule: 'SC1034', line: 2 }],
    },
    {
      name: 'npm config set with a literal token',
      code: `FROM node:22-alpine\nRUN npm config set //npm.example/:_authToken abc123\n`,
      errors: [{ rule: 'SC1034', line: 2 }],
    },
    {
      name: 'literal credentials in a RUN URL',
      code: `FROM python:3.12-slim\nRUN pip install --index-url https://deploy:s3cr3t@pypi.example/simple/ flask\n`,
      errors: [{ rule: 'SC1034', line: 2 }],
    },
    {
      name: 'a yarn token key the shell joins from quoted parts',
      code: `FROM node:22\nRUN echo npm"Auth"Token=abc123 >> .yarnrc.yml\n`,
      errors: [{ rule: 'SC1034', line: 2 }],
    },
  ],
};

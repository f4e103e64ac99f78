// A preset's extension points (docs/presets.md, "Extension points"): typed data placed at named
// points of the generated files, then held to the same self-check as every generated line.
//   - Dockerfile: instructions of a closed set (ARG, ENV, exec-form RUN, COPY), rendered here and
//     inserted at build.beforeInstall / build.afterInstall / final.env / final.afterCopy /
//     final.beforeUser of the rendered file (found with dockerfile-ast, so every runtime gets them);
//   - .dockerignore: extra patterns appended; compose: objects merged into the model (compose.ts
//     calls extendCompose); whole extra files from the preset's logic-less templates.
// Every line a preset adds is remembered with the preset field it came from, so a self-check
// finding on it is refused as `preset <name>: <field>: <rule> <message>` (checkPresetContent).
import { DockerfileParser } from 'dockerfile-ast';
import { LineCounter, parseDocument, isMap, isScalar, parse as parseYaml, type Node } from 'yaml';
import type { ContainerSpec, Finding, GeneratedFile } from '../core/types.js';
import { auditGenerated, type PolicyConfig } from '../policy/index.js';
import { resolvePolicyConfig } from '../policy/config.js';
import { parseImage } from '../policy/image.js';
import { isSecretName, isSecretValue, isReference } from '../policy/secrets.js';
import { checkRelativePath, isStatePath } from '../state/index.js';
import { escapeControl } from '../text/escape.js';
import type { PresetContribution, PresetInstruction } from './extend-types.js';
import { PresetError, type ResolvedPreset } from './types.js';

/** The Dockerfile points, in the order they are documented. */
export const DOCKERFILE_POINTS = [
  'build.beforeInstall',
  'build.afterInstall',
  'final.env',
  'final.afterCopy',
  'final.beforeUser',
] as const;
export type DockerfilePoint = (typeof DOCKERFILE_POINTS)[number];

/** Pseudo stage of `copy.from`: the last build stage of the rendered Dockerfile (its name differs by runtime). */
export const BUILD_STAGE_REF = '@build';

/** Rules whose findings on preset content are always refused, whatever the preset's own audit severities. */
const ALWAYS_REFUSED = new Set([
  'SC1001', // root user
  'SC1006', // ADD of a URL
  'SC1012', // secret in ARG/ENV
  'SC1022', // shell-form entrypoint
  'SC2009', // port on every host interface
  'SC2013', // compose root user
  'SC2017', // literal secret in compose environment
]);

/** `preset <name> <version>` for messages and comments. */
export function presetLabel(c: Pick<PresetContribution, 'name' | 'version'>): string {
  return `${escapeControl(c.name)}${c.version ? ` ${escapeControl(c.version)}` : ''}`;
}

/** The contribution of a resolved preset, or undefined when it adds nothing (no version, no extension). */
export function contributionOf(p: ResolvedPreset): PresetContribution | undefined {
  const d = p.preset;
  if (!d.version && !d.dockerfile && !d.dockerignore && !d.compose && !d.files) return undefined;
  return {
    name: escapeControl(p.name),
    ...(d.version ? { version: d.version } : {}),
    dockerfile: d.dockerfile ?? {},
    dockerignore: d.dockerignore ?? [],
    compose: d.compose ?? {},
    // load.ts read each template's text (capped) and checked its tags
    files: (d.files ?? []).map((f) => ({ ...f, text: 'text' in f && typeof f.text === 'string' ? f.text : '' })),
  };
}

// ---------------------------------------------------------------- Dockerfile

/** One instruction as Dockerfile text (one or more lines, each with the field it came from). */
export function renderInstruction(i: PresetInstruction, field: string, buildStage?: string): [string, string][] {
  if ('arg' in i) return [[`ARG ${i.arg}`, `${field}.arg`]];
  if ('env' in i) return Object.entries(i.env).map(([k, v]) => [`ENV ${k}=${JSON.stringify(v)}`, `${field}.env.${k}`]);
  if ('run' in i) return [[`RUN ${execJson(i.run)}`, `${field}.run`]];
  const c = i.copy;
  const from = c.from === BUILD_STAGE_REF ? buildStage : c.from;
  if (c.from === BUILD_STAGE_REF && !buildStage)
    throw new PresetError(`${field}.copy.from: ${BUILD_STAGE_REF} needs a build stage, and this Dockerfile has none`);
  const src = Array.isArray(c.src) ? c.src : [c.src];
  // no --chown: what a preset copies stays owned by root, the app user cannot modify it (P5)
  return [[`COPY ${from ? `--from=${from} ` : ''}${src.join(' ')} ${c.dest}`, `${field}.copy`]];
}

function execJson(argv: readonly string[]): string {
  return '[' + argv.map((a) => JSON.stringify(a)).join(', ') + ']';
}

interface Stage {
  name?: string;
  image: string;
  /** 0-based line of FROM */
  from: number;
  /** 0-based last line of the stage's last instruction */
  end: number;
  workdirEnd?: number;
  userLine?: number;
}

function stagesOf(text: string): Stage[] {
  const df = DockerfileParser.parse(text);
  const stages: Stage[] = [];
  for (const ins of df.getInstructions()) {
    const kw = ins.getKeyword();
    const r = ins.getRange();
    if (kw === 'FROM') {
      const f = df.getFROMs().find((x) => x.getRange().start.line === r.start.line);
      const name = f?.getBuildStage() ?? undefined;
      stages.push({ image: f?.getImage() ?? '', from: r.start.line, end: r.end.line, ...(name ? { name } : {}) });
      continue;
    }
    const s = stages.at(-1);
    if (!s) continue;
    s.end = r.end.line;
    if (kw === 'WORKDIR' && s.workdirEnd === undefined) s.workdirEnd = r.end.line;
    if (kw === 'USER') s.userLine = r.start.line;
  }
  return stages;
}

const DOCKERFILE_ORIGINS = new WeakMap<GeneratedFile, Map<number, string>>();

/** The Dockerfile with the preset's instructions at their points; `origins`: 1-based line -> preset field. */
export function extendDockerfile(
  text: string,
  c: PresetContribution,
  builderImage: string,
): { text: string; origins: Map<number, string> } {
  const points = c.dockerfile;
  if (!DOCKERFILE_POINTS.some((p) => points[p] !== undefined)) return { text, origins: new Map() };
  const lines = text.split('\n');
  const stages = stagesOf(text);
  const final = stages.at(-1);
  if (!final) return { text, origins: new Map() };
  // the stages the final image is built on (FROM base AS runtime) are part of it, not build stages
  const lineage = new Set<string>();
  for (let img: string | undefined = final.image; img !== undefined && !lineage.has(img);) {
    lineage.add(img);
    img = stages.find((s) => s.name === img)?.image;
  }
  const candidates = stages.slice(0, -1).filter((s) => !(s.name && lineage.has(s.name)));
  // the stages FROM the runtime's builder image; failing that (a profile that builds elsewhere), every candidate
  const fromBuilder = candidates.filter((s) => s.image === builderImage);
  const builds = fromBuilder.length ? fromBuilder : candidates;
  const lastBuild = builds.at(-1)?.name;
  // inserts: after 0-based line `at` (-0.5 offsets keep "before" inserts ahead of "after" ones at one line)
  const inserts: { at: number; lines: [string, string][] }[] = [];
  const block = (point: DockerfilePoint, body: [string, string][]): [string, string][] =>
    body.length
      ? [[`# preset ${presetLabel(c)}: ${point} (docs/presets.md, Extension points)`, `dockerfile.${point}`], ...body]
      : [];
  const list = (point: Exclude<DockerfilePoint, 'final.env'>): [string, string][] =>
    (points[point] ?? []).flatMap((ins, n) => renderInstruction(ins, `dockerfile.${point}[${n}]`, lastBuild));

  for (const s of builds) {
    inserts.push({ at: s.workdirEnd ?? s.end, lines: block('build.beforeInstall', list('build.beforeInstall')) });
    inserts.push({ at: s.end + 0.5, lines: block('build.afterInstall', list('build.afterInstall')) });
  }
  const env = Object.entries(points['final.env'] ?? {}).map(([k, v]): [string, string] => [
    `ENV ${k}=${JSON.stringify(v)}`,
    `dockerfile.final.env.${k}`,
  ]);
  inserts.push({ at: final.workdirEnd ?? final.from, lines: block('final.env', env) });
  // before USER and the comment lines that explain it
  let beforeUser = final.userLine ?? final.end + 1;
  while (beforeUser - 1 > final.from && lines[beforeUser - 1].startsWith('#')) beforeUser--;
  const lastCopy = lastAppCopy(lines, final, beforeUser);
  inserts.push({ at: lastCopy ?? beforeUser - 1, lines: block('final.afterCopy', list('final.afterCopy')) });
  inserts.push({ at: beforeUser - 1, lines: block('final.beforeUser', list('final.beforeUser')) });

  const out: [string, string | undefined][] = [];
  const sorted = inserts.filter((i) => i.lines.length).sort((a, b) => a.at - b.at);
  let k = 0;
  lines.forEach((l, i) => {
    while (k < sorted.length && sorted[k].at < i) out.push(...sorted[k++].lines);
    out.push([l, undefined]);
    while (k < sorted.length && sorted[k].at === i) out.push(...sorted[k++].lines);
  });
  while (k < sorted.length) out.push(...sorted[k++].lines);
  const origins = new Map<number, string>();
  out.forEach(([, o], i) => {
    if (o) origins.set(i + 1, o);
  });
  return { text: out.map(([l]) => l).join('\n'), origins };
}

/** 0-based end line of the last COPY of the final stage before its USER block (data-volume copies excluded). */
function lastAppCopy(lines: readonly string[], final: Stage, beforeUser: number): number | undefined {
  let last: number | undefined;
  for (let i = final.from + 1; i < beforeUser; i++) {
    if (/^COPY\s/.test(lines[i]) && !/\/empty\/ /.test(lines[i])) {
      let e = i;
      while (lines[e].endsWith('\\') && e + 1 < lines.length) e++;
      last = e;
    }
  }
  return last;
}

// ---------------------------------------------------------------- .dockerignore, files

const DOCKERIGNORE_ORIGINS = new WeakMap<GeneratedFile, Map<number, string>>();

export function extendDockerignore(
  text: string,
  c: PresetContribution,
): { text: string; origins: Map<number, string> } {
  if (!c.dockerignore.length) return { text, origins: new Map() };
  const base = text.replace(/\n+$/, '').split('\n');
  const origins = new Map<number, string>();
  const added = c.dockerignore.map((p, i) => {
    origins.set(base.length + 3 + i, `dockerignore[${i}]`);
    return p;
  });
  return {
    text: [...base, '', `# preset ${presetLabel(c)} (docs/presets.md, Extension points)`, ...added].join('\n') + '\n',
    origins,
  };
}

// <%= path %>, <%# comment %>; `-%>` also drops the newline after the tag (as in EJS)
const TAG = /<%([=#]?)([\s\S]*?)(-?)%>(\n?)/g;
const DATA_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * Check a preset template: the logic-less subset of EJS, `<%= dotted.path %>` and `<%# comment %>`.
 * A preset is data and is never executed (a recorded preset comes from the repository): scriptlets
 * (`<% %>`, `<%- %>`) are refused. Returns the problem, or null.
 */
export function templateProblem(text: string): string | null {
  for (const m of text.matchAll(TAG)) {
    if (m[1] === '#') continue;
    if (m[1] !== '=')
      return `only <%= path %> and <%# comment %> tags are allowed (a preset template is never executed)`;
    if (!DATA_PATH.test(m[2].trim()))
      return `<%= ${escapeControl(m[2].trim().slice(0, 40))} %>: a tag holds a dotted path into the data (e.g. <%= name %>)`;
  }
  return null;
}

/** What a preset template sees: the settled spec's plain values, never the raw answers. */
export function templateData(s: ContainerSpec): Record<string, unknown> {
  return {
    name: s.name,
    runtime: s.runtime,
    runtimeVersion: s.runtimeVersion,
    flavor: s.flavor,
    port: s.port,
    user: s.user,
    workdir: s.workdir,
    registry: s.registry,
    generator: s.generator,
    preset: s.preset ? { name: s.preset.name, version: s.preset.version ?? '' } : {},
  };
}

export function renderPresetTemplate(text: string, data: Record<string, unknown>): string {
  return text.replace(TAG, (_m, kind: string, body: string, dash: string, nl: string) => {
    const after = dash ? '' : nl;
    if (kind === '#') return after;
    let v: unknown = data;
    for (const k of body.trim().split('.')) {
      v = v !== null && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
    }
    const text = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
    return escapeControl(text) + after;
  });
}

/**
 * The outputs' files with the preset's additions (called by lib/outputs/index.ts renderFiles):
 * Dockerfile points, .dockerignore patterns, extra files. The compose merge happens in compose.ts.
 */
export function extendFiles(spec: ContainerSpec, files: GeneratedFile[]): GeneratedFile[] {
  const c = spec.preset;
  if (!c) return files;
  const out = files.map((f) => {
    if (f.path === 'Dockerfile') {
      const r = extendDockerfile(f.contents, c, spec.dockerfile.builderImage);
      const g = { ...f, contents: r.text };
      DOCKERFILE_ORIGINS.set(g, r.origins);
      return g;
    }
    if (f.path === '.dockerignore') {
      const r = extendDockerignore(f.contents, c);
      const g = { ...f, contents: r.text };
      DOCKERIGNORE_ORIGINS.set(g, r.origins);
      return g;
    }
    return f;
  });
  const taken = new Set(out.map((f) => f.path));
  const data = templateData(spec);
  c.files.forEach((f, i) => {
    const field = `files[${i}].path`;
    const bad = checkRelativePath(f.path);
    if (bad) throw new PresetError(`preset ${presetLabel(c)}: ${field}: ${bad}`);
    if (isStatePath(f.path) || taken.has(f.path))
      throw new PresetError(
        `preset ${presetLabel(c)}: ${field}: ${escapeControl(f.path)} is a file the generator writes: a preset adds files, it never replaces generated ones`,
      );
    taken.add(f.path);
    out.push({ path: f.path, contents: renderPresetTemplate(f.text, data) });
  });
  return out;
}

// ---------------------------------------------------------------- compose

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** base + add: objects merged key by key, lists appended (duplicates dropped), scalars replaced. */
export function mergeObjects(base: Record<string, unknown>, add: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(add)) {
    const b = Object.hasOwn(out, k) ? out[k] : undefined;
    const value =
      isObject(b) && isObject(v)
        ? mergeObjects(b, v)
        : Array.isArray(b) && Array.isArray(v)
          ? [
              ...(b as unknown[]),
              ...(v as unknown[]).filter((x) => !b.some((y) => JSON.stringify(y) === JSON.stringify(x))),
            ]
          : structuredClone(v);
    // defineProperty: a "__proto__" key stays a plain key
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Merge the preset's compose objects into the model compose.ts builds (called from buildCompose):
 * app keys into the app service, extra services and named volumes added. A name the generator
 * uses is refused (a preset adds services, it never replaces generated ones).
 */
export function extendCompose(
  spec: ContainerSpec,
  services: Record<string, unknown>,
  volumes: Record<string, unknown>,
  quoted: (string | number)[][] = [],
): void {
  const c = spec.preset?.compose;
  if (!spec.preset || !c) return;
  const label = presetLabel(spec.preset);
  if (c.app) {
    const app = services[spec.name];
    services[spec.name] = mergeObjects(isObject(app) ? app : {}, c.app);
    quoteAmbiguous(services[spec.name], ['services', spec.name], quoted);
  }
  for (const [name, svc] of Object.entries(c.services ?? {})) {
    if (Object.hasOwn(services, name) || name === spec.name)
      throw new PresetError(
        `preset ${label}: compose.services.${name}: a service of that name is generated: choose another name`,
      );
    services[name] = structuredClone(svc);
    quoteAmbiguous(svc, ['services', name], quoted);
  }
  for (const [name, v] of Object.entries(c.volumes ?? {})) {
    if (Object.hasOwn(volumes, name))
      throw new PresetError(`preset ${label}: compose.volumes.${name}: a volume of that name is generated`);
    volumes[name] = v === null ? {} : structuredClone(v);
  }
}

/**
 * Paths of the strings that a YAML 1.1 reader would take for something else ("10001:10001" is a
 * base-60 number there, "no" a boolean): emitted double-quoted, as compose.ts does for its own.
 */
function quoteAmbiguous(v: unknown, path: (string | number)[], out: (string | number)[][], depth = 0): void {
  if (depth > 12) return;
  if (typeof v === 'string') {
    let read: unknown;
    try {
      read = parseYaml(v, { version: '1.1' });
    } catch {
      read = undefined;
    }
    if (read !== v) out.push(path);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      quoteAmbiguous(x, [...path, i], out, depth + 1);
    });
  } else if (isObject(v)) for (const [k, x] of Object.entries(v)) quoteAmbiguous(x, [...path, k], out, depth + 1);
}

/** 1-based line ranges of the compose nodes a preset contributed, deepest first. */
function composeOrigins(text: string, spec: ContainerSpec): { from: number; to: number; field: string }[] {
  const c = spec.preset?.compose;
  if (!c) return [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const out: { from: number; to: number; field: string; depth: number }[] = [];
  const walk = (path: (string | number)[], field: string, value: unknown, depth: number): void => {
    const node = doc.getIn(path, true) as Node | undefined;
    const pair = keyLine(doc, path, lc);
    if (!node?.range) return;
    const from = pair ?? lc.linePos(node.range[0]).line;
    const to = lc.linePos(Math.max(node.range[0], node.range[1] - 1)).line;
    out.push({ from, to, field, depth });
    if (isObject(value) && depth < 6)
      for (const [k, v] of Object.entries(value)) walk([...path, k], `${field}.${k}`, v, depth + 1);
    if (Array.isArray(value) && depth < 6)
      value.forEach((v, i) => {
        walk([...path, i], `${field}[${i}]`, v, depth + 1);
      });
  };
  for (const [name, svc] of Object.entries(c.services ?? {}))
    walk(['services', name], `compose.services.${name}`, svc, 0);
  for (const [k, v] of Object.entries(c.app ?? {})) walk(['services', spec.name, k], `compose.app.${k}`, v, 1);
  return out.sort((a, b) => b.depth - a.depth);
}

/** The line of the key whose value is at `path` (findings point at keys). */
function keyLine(
  doc: ReturnType<typeof parseDocument>,
  path: (string | number)[],
  lc: LineCounter,
): number | undefined {
  const parent: unknown = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = (parent.items as { key: unknown }[]).find((p) => isScalar(p.key) && p.key.value === path.at(-1));
  const k = pair?.key as Node | undefined;
  return k?.range ? lc.linePos(k.range[0]).line : undefined;
}

// ---------------------------------------------------------------- the self-check

/** The preset field a finding's line came from, if any. */
export function presetFieldOf(
  finding: Pick<Finding, 'file' | 'line'>,
  files: readonly GeneratedFile[],
  spec: ContainerSpec,
): string | undefined {
  const file = files.find((f) => f.path === finding.file);
  if (!file) return undefined;
  const map = DOCKERFILE_ORIGINS.get(file) ?? DOCKERIGNORE_ORIGINS.get(file);
  if (map) return map.get(finding.line);
  if (file.path === 'compose.yaml')
    return composeOrigins(file.contents, spec).find((o) => finding.line >= o.from && finding.line <= o.to)?.field;
  if (spec.preset?.files.some((f) => f.path === file.path)) {
    const i = spec.preset.files.findIndex((f) => f.path === file.path);
    return `files[${i}]`;
  }
  return undefined;
}

/** Checks the audit cannot make from the rendered files alone: images a COPY takes from, secret-looking values. */
function ownChecks(c: PresetContribution, policy: PolicyConfig | undefined): string[] {
  const out: string[] = [];
  const cfg = resolvePolicyConfig(policy ?? {});
  const points = c.dockerfile;
  for (const point of DOCKERFILE_POINTS) {
    if (point === 'final.env') continue;
    (points[point] ?? []).forEach((ins, n) => {
      const field = `dockerfile.${point}[${n}]`;
      if ('copy' in ins && ins.copy.from && ins.copy.from !== BUILD_STAGE_REF) {
        const img = parseImage(ins.copy.from);
        if (!img.tag && !img.digest)
          out.push(`${field}.copy.from: SC1004 the image has no tag: pin a version (or a digest)`);
        else if (img.tag === 'latest' && !img.digest)
          out.push(`${field}.copy.from: SC1003 the image uses :latest: pin a version (or a digest)`);
        if (!cfg.isAllowedImage(img))
          out.push(
            `${field}.copy.from: SC1005 ${escapeControl(img.full)} is not from an allowed registry (add it to allowedRegistries)`,
          );
      }
      if ('arg' in ins && isSecretName(ins.arg))
        out.push(`${field}.arg: SC1012 ${ins.arg} looks like a secret: pass it as a build secret (--build-secret)`);
    });
  }
  const values: [string, unknown][] = [
    ['dockerfile', c.dockerfile],
    ['compose', c.compose],
    ['dockerignore', c.dockerignore],
  ];
  for (const [field, v] of values)
    for (const hit of secretValues(v, field))
      out.push(`${hit}: P4 looks like a secret value: presets hold names, never values`);
  c.files.forEach((f, i) => {
    if (isSecretValue(f.text)) out.push(`files[${i}].template: P4 the template holds a secret-looking value`);
  });
  // P1: a sidecar (or the app) started through a shell gets no signals: exec form (a list) only
  const services: [string, unknown][] = [
    ...Object.entries(c.compose.services ?? {}).map(([n, s]): [string, unknown] => [`compose.services.${n}`, s]),
    ...(c.compose.app ? [['compose.app', c.compose.app] as [string, unknown]] : []),
  ];
  for (const [field, svc] of services)
    for (const key of ['entrypoint', 'command'])
      if (isObject(svc) && typeof svc[key] === 'string')
        out.push(
          `${field}.${key}: SC1022 shell form (a string runs through /bin/sh -c): write it as a list (exec form)`,
        );
  for (const [k, v] of Object.entries(c.dockerfile['final.env'] ?? {}))
    if (isSecretName(k) && !isReference(v))
      out.push(`dockerfile.final.env.${k}: SC1012 ${k} looks like a secret: mount it as a secret file instead`);
  return out;
}

function secretValues(v: unknown, field: string, depth = 0): string[] {
  if (depth > 12) return [];
  if (typeof v === 'string') return isSecretValue(v) ? [field] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => secretValues(x, `${field}[${i}]`, depth + 1));
  if (isObject(v)) return Object.entries(v).flatMap(([k, x]) => secretValues(x, `${field}.${k}`, depth + 1));
  return [];
}

/**
 * The self-check of a preset's content: refused (PresetError, one line per problem naming the
 * preset, the field and the rule) when a line it added has an error or warning finding under the
 * preset's own severities, and always (whatever `audit.severity` says) for root users, ADD of a
 * URL, secrets, shell-form entrypoints and public ports.
 */
export function checkPresetContent(spec: ContainerSpec, files: readonly GeneratedFile[], policy?: PolicyConfig): void {
  const c = spec.preset;
  if (!c) return;
  const problems = ownChecks(c, policy);
  // the preset's own severities decide for most rules (a warning on its line is refused too: a
  // standard must not put a finding in every service); the always-refused rules cannot be waived
  const strict: PolicyConfig = { ...(policy ?? {}) };
  delete strict.rules;
  const findings = [
    ...auditGenerated(files, policy).filter((f) => f.severity === 'error' || f.severity === 'warning'),
    ...auditGenerated(files, strict).filter((f) => ALWAYS_REFUSED.has(f.rule)),
  ];
  for (const f of findings) {
    const field = presetFieldOf(f, files, spec);
    if (field) problems.push(`${field}: ${f.rule} ${escapeControl(f.message)} (${f.file}:${f.line})`);
  }
  if (problems.length)
    throw new PresetError([...new Set(problems)].map((p) => `preset ${presetLabel(c)}: ${p}`).join('\n'));
}

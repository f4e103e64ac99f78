// Detection: repository files -> Facts. Every fact says where it came from; nothing found means
// the field stays undefined (the answers layer applies defaults and says so).
//
// Runtime precedence when several manifests exist: node (only if package.json describes an app:
// dependencies, a start script or main) > python > go > node (package.json that is only tooling).
// The runtime fact's source names the alternatives.
import { basename, resolve } from 'node:path';
import type { Facts } from '../core/types.js';
import { profiles } from '../runtimes/index.js';
import { isDirectory, isSecretEnvFile, listRepo, MAX_FILE_BYTES, type RepoFiles } from './files.js';
import { fact, type Ctx, type DetectedFacts } from './model.js';
import { detectPortAndRoutes } from './port.js';
import { detectDockerfileEnv } from './dockerfile-env.js';
import { dnsLabel } from './text.js';

export type { RepoFiles } from './files.js';
export type { DetectedFacts } from './model.js';
export { memoryFiles, listRepo, isSecretEnvFile, MAX_FILE_BYTES } from './files.js';
export { lowestNodeMajor, lowestPythonMinor } from './versions.js';

function makeCtx(files: RepoFiles, notes: string[]): Ctx {
  const present = new Set(files.list);
  return {
    files,
    has: (p) => present.has(p),
    read(p) {
      // defence in depth: whatever RepoFiles we are given, never ask it for .env or unlisted files
      if (!present.has(p) || isSecretEnvFile(p)) return undefined;
      const t = files.read(p);
      return t !== undefined && t.length <= MAX_FILE_BYTES ? t : undefined;
    },
    note: (t) => {
      if (!notes.includes(t)) notes.push(t);
    },
  };
}

/**
 * Pure detection over a set of files (relative POSIX paths). Every runtime in the table may claim
 * the repository; the lowest rank wins (an application package.json, then Python, then Go, then a
 * package.json that is only tooling) and the runtime fact's source names the alternatives.
 */
export function detectFromFiles(files: RepoFiles): DetectedFacts {
  const notes: string[] = [];
  const ctx = makeCtx(files, notes);

  const claims = profiles()
    .map((p, order) => ({ p, order, claim: p.claim(ctx) }))
    .flatMap(({ p, order, claim }) => (claim ? [{ runtime: p.runtime, code: p.code, order, ...claim }] : []))
    .sort((a, b) => a.rank - b.rank || a.order - b.order);
  const chosen = claims.at(0);
  if (!chosen) return {};
  const alts = claims.slice(1);
  const facts: DetectedFacts = {
    runtime: fact(
      chosen.runtime,
      alts.length > 0 ? `${chosen.source} (also found: ${alts.map((a) => a.source).join('; ')})` : chosen.source,
    ),
  };

  const found = chosen.detect();
  Object.assign(facts, found.facts);
  const pr = detectPortAndRoutes(ctx, chosen.code, found.entryFiles);
  if (pr.port) facts.port = pr.port;
  if (pr.healthPath) facts.healthPath = pr.healthPath;
  if (pr.dataDirs) facts.dataDirs = pr.dataDirs;
  found.withPort?.(facts);
  // every runtime: the app's own run-time ENV from the repository's own Dockerfile (--app-env)
  const env = detectDockerfileEnv(ctx);
  if (env) facts.env = env;

  if (notes.length > 0) facts.notes = notes;
  return facts;
}

/**
 * Detect facts about the repository at `root`. Lists at most a few levels (never node_modules,
 * .git, vendor, virtualenvs or build output) and reads only the files the detectors ask for;
 * files over 1 MiB and `.env` files are never read. When no name is found in a manifest, the
 * directory name is used (and says so).
 */
export async function detectRepo(root: string): Promise<DetectedFacts> {
  const abs = resolve(root);
  if (!(await isDirectory(abs))) throw new Error(`detect: not a directory: ${root}`);
  const files = await listRepo(abs);
  const facts = detectFromFiles(files);
  if (facts.runtime && !facts.name) {
    const n = dnsLabel(basename(abs));
    if (n !== undefined) facts.name = fact(n, `directory name "${basename(abs)}" (no name in the manifest)`);
  }
  return facts;
}

const ORDER: readonly (keyof DetectedFacts)[] = [
  'runtime',
  'runtimeVersion',
  'packageManager',
  'packageManagerVersion',
  'name',
  'lockfiles',
  'manifest',
  'framework',
  'typescript',
  'goModule',
  'goMainPackage',
  'goCgo',
  'goVendor',
  'build',
  'buildOutput',
  'start',
  'port',
  'healthPath',
  'dataDirs',
];

/** Printable, single-line, control-character-free rendering of a fact value. */
function show(v: unknown): string {
  if (v === null) return 'none';
  if (typeof v === 'string') return clean(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return clean(JSON.stringify(v));
}

// eslint-disable-next-line no-control-regex -- this pattern exists to find control characters (untrusted text shown in a terminal)
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function clean(s: string): string {
  return s.replace(CONTROL_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line per detected fact, e.g. `runtime: node (from package.json)`, then `note: …` lines. */
export function describeFacts(f: Facts | DetectedFacts): string[] {
  const lines: string[] = [];
  const rec = f as Record<string, unknown>;
  // known facts in a fixed order, then any other Fact-shaped field (added later to Facts) by name
  const keys = [
    ...ORDER,
    ...Object.keys(rec)
      .filter((k) => !(ORDER as readonly string[]).includes(k) && k !== 'notes')
      .sort(),
  ];
  for (const key of keys) {
    const v = rec[key];
    if (typeof v !== 'object' || v === null || !('value' in v)) continue;
    const { value, source, guess } = v as { value: unknown; source: unknown; guess?: unknown };
    const guessed = typeof guess === 'string' ? ` (a guess: ${clean(guess)})` : '';
    lines.push(`${key}: ${show(value)} (from ${clean(String(source))})${guessed}`);
  }
  const notes: unknown = (f as DetectedFacts).notes;
  if (Array.isArray(notes)) for (const n of notes as unknown[]) lines.push(`note: ${clean(String(n))}`);
  return lines;
}

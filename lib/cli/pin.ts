// `secure-container pin [paths…]`: refresh the digests of the images a repository's Dockerfiles
// (FROM, COPY --from) and compose files (image: of services not built here) name, in place: only
// the reference text changes (`name:tag` -> `name:tag@sha256:…`), formatting and comments stay.
// Works on any repository. In a generated one it also moves the digests recorded in .yo-rc.json and
// the pristine copies, so `upgrade` keeps the new pins and `upgrade --check` sees no drift (P7).
// --check: exit 1 when any pin is missing or stale (nothing written); --dry-run: show the diff.
import { escapeControl, escapeText } from '../text/escape.js';
import { CLI_COMMAND, GENERATOR_NAME } from '../core/version.js';
import { discover } from '../audit/discover.js';
import { readInside, UnsafePathError, writeFilesInside, type SafeWrite } from '../fs/safe.js';
import { unifiedDiff } from '../merge/diff.js';
import { RegistryError, resolveDigests, type RegistryClientOptions } from '../registry-client/index.js';
import { applyDigests, imagesIn, pinKind, type ImageOccurrence } from '../registry-client/refs.js';
import { readDigests, withDigests } from '../registry-client/state.js';
import { MANIFEST_PATH, pristinePath, sha256, YO_RC } from '../state/index.js';
import type { Io } from './io.js';
import { parseCommandArgs, UsageError } from './parse.js';

export const PIN_HELP = `Usage: secure-container pin [paths...] [options]
       ${CLI_COMMAND} pin [paths...] [options]

Pin every image the Dockerfiles (the \`# syntax=\` frontend too), compose files and CI files
(.gitlab-ci.yml job images and services, the BuildKit image of GitHub workflows) name to the
digest its tag points to now (name:tag@sha256:…), in place; formatting and comments are kept.
Paths default to the current directory (searched recursively, node_modules and .git skipped;
.gitlab-ci.yml is read at the top of the current directory).

Options:
  --check                      change nothing; exit 1 when an image is unpinned or its pin is stale
  --dry-run                    print the diff, write nothing
  --insecure-registry <host>   allow plain http for this registry host[:port] (repeatable;
                               localhost and 127.0.0.1 are always allowed, as Docker does)
  --timeout <seconds>          per registry request (default 15)
  -h, --help                   show this help

Digests come from the registries (OCI distribution API, anonymous pulls; a --registry mirror
prefix is a registry like any other). Exit codes: 0 pinned (or written); 1 stale or unpinned
(--check); 2 usage error, unreadable file or unreachable registry (nothing written).
`;

export interface PinOptions {
  /** injected for tests: resolves references to digests */
  resolve?: (refs: readonly string[], opts: RegistryClientOptions) => Promise<Record<string, string>>;
}

interface FilePlan {
  rel: string;
  before: string;
  after: string;
  occurrences: ImageOccurrence[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export async function runPin(argv: string[], io: Io, opts: PinOptions = {}): Promise<number> {
  const fail = (message: string): number => {
    io.stderr(`secure-container pin: ${escapeControl(message)}\nNothing was written.\n`);
    return 2;
  };
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandArgs(
      argv,
      {
        check: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'insecure-registry': { type: 'string', multiple: true },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      { positionals: true },
    ));
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message);
    throw e;
  }
  if (values['help'] === true) {
    io.stdout(PIN_HELP);
    return 0;
  }
  const timeoutRaw = values['timeout'] as string | undefined;
  if (timeoutRaw !== undefined && !/^\d{1,3}$/.test(timeoutRaw))
    return fail(`--timeout: ${JSON.stringify(timeoutRaw)} is not a whole number of seconds (1-999)`);
  const insecure = ((values['insecure-registry'] as string[] | undefined) ?? []).map((h) => h.toLowerCase());
  for (const h of insecure)
    if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(h))
      return fail(`--insecure-registry: ${JSON.stringify(h)} is not a host or host:port`);
  const client: RegistryClientOptions = {
    insecureRegistries: insecure,
    ...(timeoutRaw ? { timeoutMs: Math.max(1, Number(timeoutRaw)) * 1000 } : {}),
  };

  // the files: Dockerfiles and compose files under the paths, inside the working directory only
  const found = discover(positionals.length ? positionals : ['.'], io.cwd);
  if (found.errors.length) return fail(`${found.errors[0]?.path ?? ''}: ${found.errors[0]?.message ?? ''}`);
  const plans: FilePlan[] = [];
  // GitLab's pipeline file is not an audit kind: read where GitLab reads it, at the top of the repository
  const gitlab = readInside(io.cwd, '.gitlab-ci.yml');
  if (gitlab.ok) {
    const occurrences = imagesIn('.gitlab-ci.yml', gitlab.text);
    if (occurrences.length) plans.push({ rel: '.gitlab-ci.yml', before: gitlab.text, after: gitlab.text, occurrences });
  } else if (gitlab.why !== 'absent') return fail(`.gitlab-ci.yml: ${gitlab.message}`);
  for (const t of found.files) {
    if (t.kind !== 'dockerfile' && t.kind !== 'compose' && t.kind !== 'workflow') continue;
    if (t.refused || t.rel.startsWith('../') || t.rel === '..')
      return fail(`${t.rel}: outside the working directory or a link leaving it: refused`);
    const r = readInside(io.cwd, t.rel);
    if (!r.ok) return fail(`${t.rel}: ${r.message}`);
    // discovery's kind decides for names like prod.Dockerfile; refs.ts goes by the name
    const path = pinKind(t.rel)
      ? t.rel
      : t.kind === 'compose'
        ? 'compose.yaml'
        : t.kind === 'workflow'
          ? '.github/workflows/ci.yml'
          : 'Dockerfile';
    const occurrences = imagesIn(path, r.text);
    if (occurrences.length) plans.push({ rel: t.rel, before: r.text, after: r.text, occurrences });
  }
  const refs = [...new Set(plans.flatMap((p) => p.occurrences.map((o) => o.ref)))].sort();
  if (!refs.length) {
    io.stdout('No image reference to pin (# syntax=, FROM, COPY --from, compose image:, CI images) was found.\n');
    return 0;
  }

  let digests: Record<string, string>;
  try {
    digests = await (opts.resolve ?? resolveDigests)(refs, client);
  } catch (e) {
    if (e instanceof RegistryError) return fail(e.message);
    throw e;
  }

  const stale: string[] = [];
  for (const p of plans) {
    p.after = applyDigests(p.before, p.occurrences, digests);
    for (const o of p.occurrences)
      if (o.digest !== digests[o.ref])
        stale.push(
          `${p.rel}:${o.line}: ${o.ref} ${o.digest ? `pinned to ${o.digest.slice(0, 19)}…, now` : 'unpinned; now'} ${(digests[o.ref] ?? '').slice(0, 19)}…`,
        );
  }
  const changed = plans.filter((p) => p.after !== p.before);
  const total = plans.reduce((n, p) => n + p.occurrences.length, 0);

  if (values['check'] === true) {
    if (!stale.length) {
      io.stdout(`up to date: ${total} image reference(s) pinned to the digests their tags point to now\n`);
      return 0;
    }
    io.stdout(`stale or unpinned:\n${stale.map((s) => `  ${escapeControl(s)}`).join('\n')}\nrun: ${CLI_COMMAND} pin\n`);
    return 1;
  }
  for (const p of changed) io.stdout(escapeText(unifiedDiff(p.rel, p.before, p.after)));
  if (values['dry-run'] === true) {
    io.stdout(
      changed.length
        ? `\n--dry-run: ${changed.length} file(s) would change; nothing written.\n`
        : 'Every image is pinned to its current digest.\n',
    );
    return 0;
  }
  if (!changed.length) {
    io.stdout(`Every image is pinned to its current digest (${total} reference(s)).\n`);
    return 0;
  }
  try {
    writeFilesInside(io.cwd, [
      ...changed.map((p) => ({ path: p.rel, contents: p.after })),
      ...stateWrites(io.cwd, digests),
    ]);
  } catch (e) {
    if (e instanceof UnsafePathError) return fail(e.message);
    throw e;
  }
  io.stdout(`\nPinned ${stale.length} reference(s) in ${changed.length} file(s).\n`);
  return 0;
}

/**
 * In a generated repository (.yo-rc.json with our entry and --pin-digests): the recorded digests,
 * the pristine copies and their manifest hashes move with the files, so the next `upgrade` renders
 * the same pins and `upgrade --check` reports no drift. Elsewhere: nothing.
 */
function stateWrites(root: string, digests: Record<string, string>): SafeWrite[] {
  const yo = readInside(root, YO_RC);
  if (!yo.ok) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(yo.text);
  } catch {
    return [];
  }
  const ours = isObject(parsed) ? parsed[GENERATOR_NAME] : undefined;
  const answers = isObject(ours) ? ours['answers'] : undefined;
  if (!isObject(answers) || answers['pinDigests'] !== true) return [];
  const recorded = readDigests(yo.text);
  const moved = Object.fromEntries(Object.keys(recorded).map((r) => [r, digests[r] ?? recorded[r]]));
  const writes: SafeWrite[] = [
    { path: YO_RC, contents: `${JSON.stringify(JSON.parse(withDigests(yo.text, moved)), null, 2)}\n` },
  ];
  const m = readInside(root, MANIFEST_PATH);
  if (!m.ok) return writes;
  let manifest: unknown;
  try {
    manifest = JSON.parse(m.text);
  } catch {
    return writes;
  }
  const files = isObject(manifest) ? manifest['files'] : undefined;
  if (!isObject(files)) return writes;
  for (const [path, entry] of Object.entries(files)) {
    if (!pinKind(path) || !isObject(entry)) continue;
    const p = readInside(root, pristinePath(path));
    if (!p.ok) continue;
    const after = applyDigests(p.text, imagesIn(path, p.text), moved);
    if (after === p.text) continue;
    writes.push({ path: pristinePath(path), contents: after });
    entry['sha256'] = sha256(after);
  }
  if (writes.length > 1) writes.push({ path: MANIFEST_PATH, contents: `${JSON.stringify(manifest, null, 2)}\n` });
  return writes;
}

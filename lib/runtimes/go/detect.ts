// Go detection: go.mod (module, go directive, toolchain) and the main package. Pure.
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { basename, depth, dirname, dnsLabel, isTestPath } from '../../detect/text.js';

export interface GoMod {
  module?: string;
  go?: string;
  toolchain?: string;
}

/** The few go.mod directives we need (comments and blocks tolerated). */
export function parseGoMod(text: string): GoMod {
  const out: GoMod = {};
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line === ')') inBlock = false;
      continue;
    }
    if (/\($/.test(line)) {
      inBlock = true;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^module\s+"?([^\s"]+)"?$/.exec(line))) out.module = m[1];
    else if ((m = /^go\s+(\d+\.\d+(?:\.\d+)?(?:rc\d+|beta\d+)?)$/.exec(line))) out.go = m[1];
    else if ((m = /^toolchain\s+go(\d+\.\d+(?:\.\d+)?(?:rc\d+|beta\d+)?)$/.exec(line))) out.toolchain = m[1];
  }
  return out;
}

function minor(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Last path element of a module path, skipping a major-version suffix: "example.com/x/api/v2" -> "api". */
export function moduleBaseName(mod: string): string {
  const parts = mod.split('/').filter((p) => p.length > 0);
  let last = parts[parts.length - 1] ?? mod;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last;
}

const PACKAGE_MAIN = /^package\s+main\b/m;

function isMainDir(ctx: Ctx, dir: string): boolean {
  return ctx.files.list.some(
    (f) => dirname(f) === dir && f.endsWith('.go') && !f.endsWith('_test.go') && PACKAGE_MAIN.test(ctx.read(f) ?? ''),
  );
}

export interface GoResult {
  facts: DetectedFacts;
  entryFiles: string[];
}

export function detectGo(ctx: Ctx): GoResult {
  const facts: DetectedFacts = {};
  const mod = parseGoMod(ctx.read('go.mod') ?? '');
  facts.packageManager = fact('go', 'go.mod');
  if (ctx.has('go.sum')) facts.lockfiles = fact(['go.sum'], 'repository root');
  if (mod.module !== undefined) {
    facts.goModule = fact(mod.module, `go.mod: module ${mod.module}`);
    const n = dnsLabel(moduleBaseName(mod.module));
    if (n !== undefined) facts.name = fact(n, `go.mod: module ${mod.module} (last path element)`);
  } else ctx.note('go.mod: no module directive');

  const g = mod.go !== undefined ? minor(mod.go) : undefined;
  const t = mod.toolchain !== undefined ? minor(mod.toolchain) : undefined;
  if (g || t) {
    const use = g && t ? (t[0] > g[0] || (t[0] === g[0] && t[1] > g[1]) ? t : g) : ((g ?? t) as [number, number]);
    const parts = [
      mod.go !== undefined ? `go ${mod.go}` : '',
      mod.toolchain !== undefined ? `toolchain go${mod.toolchain}` : '',
    ].filter(Boolean);
    const why =
      g && t && use === t && (t[0] !== g[0] || t[1] !== g[1]) ? ' (the toolchain line asks for the newer release)' : '';
    facts.runtimeVersion = fact(`${use[0]}.${use[1]}`, `go.mod: ${parts.join(', ')}${why}`);
  }

  // main package: the root, else cmd/<name> (first alphabetically), else any other main.go
  const entryFiles: string[] = [];
  let pkg: string | undefined;
  let bin: string | undefined;
  let source = '';
  if (isMainDir(ctx, '.')) {
    pkg = '.';
    bin = mod.module !== undefined ? moduleBaseName(mod.module) : undefined;
    source = 'package main in the repository root';
  } else {
    const cmdDirs = [...new Set(ctx.files.list.filter((f) => /^cmd\/[^/]+\/[^/]+\.go$/.test(f)).map(dirname))]
      .sort()
      .filter((d) => isMainDir(ctx, d));
    if (cmdDirs.length > 0) {
      pkg = `./${cmdDirs[0]}`;
      bin = basename(cmdDirs[0]);
      source = cmdDirs.length > 1 ? `${cmdDirs[0]} (first of ${cmdDirs.join(', ')})` : `${cmdDirs[0]}: package main`;
    } else {
      const other = ctx.files.list
        .filter((f) => basename(f) === 'main.go' && !isTestPath(f) && depth(f) <= 3)
        .sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1))
        .map(dirname)
        .find((d) => isMainDir(ctx, d));
      if (other !== undefined) {
        pkg = `./${other}`;
        bin = basename(other);
        source = `${other}/main.go: package main (not in the root or cmd/)`;
      }
    }
  }
  if (pkg !== undefined) {
    facts.goMainPackage = fact(pkg, source);
    const dir = pkg === '.' ? '.' : pkg.slice(2);
    entryFiles.push(
      ...ctx.files.list.filter((f) => dirname(f) === dir && f.endsWith('.go') && !f.endsWith('_test.go')),
    );
    const b = bin !== undefined ? dnsLabel(bin) : undefined;
    if (b !== undefined)
      facts.start = fact(
        [`/app/${b}`],
        `static binary built from ${pkg} (named after ${pkg === '.' ? 'the module' : 'the command directory'})`,
      );
  } else ctx.note('go.mod found but no package main (root, cmd/<name>, or */main.go)');
  return { facts, entryFiles };
}

// TypeScript path aliases a plain `tsc` build leaves unresolved. tsc does not rewrite import
// specifiers: `import app from '@/app'` (tsconfig compilerOptions.paths) compiles, and
// `node dist/server.js` then fails at start with "Cannot find module '@/app'". Projects make it work
// with tsc-alias (or tscpaths, resolve-tspaths …) after tsc, tsconfig-paths or module-alias
// registered at run time, Node's own subpath imports (`#app/*`, package.json "imports"), or a bundler.
// When none of those is there, the plan warns and the start is kept as a guess (like tsconfig's
// noEmit in ./detect.ts), so --yes refuses and asks for --start. Pure: reads through the Ctx only.
import type { Ctx } from '../../detect/model.js';
import { type Aliases, MAX_ALIASED, packageName, walkImports } from './imports.js';

/** Build steps that rewrite the aliases in tsc's output (or make tsc do it through a transformer). */
const REWRITERS =
  /(?:^|[\s/;&|(])(?:tsc-alias|tscpaths|tspath|resolve-tspaths|tsconfig-replace-paths|ef-tspm|ttsc|tspc|ts-patch|tsc-esm-fix)\b/;
/** Run-time resolvers of the aliases, named in the start command (`node -r tsconfig-paths/register …`). */
const RUNTIME_RESOLVERS = /(?:^|[\s/=])(?:tsconfig-paths|module-alias|tsx|ts-node)(?:\/|\s|$)/;
/** The same, imported by the started code (`import 'module-alias/register'`). */
const RESOLVER_PACKAGES = new Set(['module-alias', 'tsconfig-paths', 'link-module-alias']);

/** One import that resolves only through tsconfig `paths`. */
export interface AliasImport {
  spec: string;
  file: string;
  line: number;
}

export interface AliasCheck {
  /** the started code's source entry (repo-relative, a TypeScript file) */
  entry: string;
  /** tsconfig baseUrl/paths (./tsconfig.ts) */
  aliases: Aliases;
  /** the build's script text (expanded), plus any build the start chain runs */
  buildText: string;
  /** the command the image runs */
  startArgv: readonly string[];
  /** package.json as parsed */
  raw: Record<string, unknown>;
  /** dependencies and devDependencies: a `paths` entry shadowing a package is not a missing module */
  declared: ReadonlySet<string>;
}

/** Scripts queued at most (a hostile package.json cannot grow the walk). */
const MAX_QUEUE = 200;

/**
 * The text of the build scripts and of every script they name, as a word (npm-run-all, concurrently
 * "npm:x", run-s), with their pre/post hooks (npm runs those): a tsc-alias step anywhere there counts.
 * At most 20 scripts are read.
 */
export function buildScriptsText(scripts: Partial<Record<string, string>>, names: string[]): string {
  const seen = new Set<string>();
  const queue = [...names];
  const out: string[] = [];
  while (queue.length > 0 && seen.size < 20) {
    const name = queue.shift() as string;
    const body = Object.hasOwn(scripts, name) ? scripts[name] : undefined;
    if (seen.has(name) || body === undefined) continue;
    seen.add(name);
    const text = body.slice(0, 2000);
    out.push(text);
    queue.push(`pre${name}`, `post${name}`);
    for (const w of text.split(/[\s"'&|;()]+/)) {
      // bounded: a hostile package.json cannot grow the queue past MAX_QUEUE
      if (queue.length >= MAX_QUEUE) break;
      if (w !== '' && Object.hasOwn(scripts, w)) queue.push(w);
      // npm-run-all's `run-p build:*`
      else if (/^[\w:-]+:\*$/.test(w))
        queue.push(
          ...Object.keys(scripts)
            .filter((k) => k.startsWith(w.slice(0, -1)))
            .slice(0, 20),
        );
      else if (w.startsWith('npm:')) queue.push(w.slice(4));
    }
  }
  return out.join(' && ');
}

/** Packages that make tsc itself rewrite the paths (a transformer patched into tsc). */
const TRANSFORMERS = ['typescript-transform-paths', '@zerollup/ts-transform-paths'];
const PATCHERS = ['ts-patch', 'ttypescript'];

/** At most this many alias imports are named in the note. */
const MAX_SHOWN = 8;

/** The build rewrites the aliases in tsc's output (tsc-alias and the like, or a transformer patched into tsc). */
export function rewritesAliases(buildText: string, declared: ReadonlySet<string>): boolean {
  return (
    REWRITERS.test(buildText) || (TRANSFORMERS.some((t) => declared.has(t)) && PATCHERS.some((t) => declared.has(t)))
  );
}

/** The imports that only tsconfig `paths` resolves, when nothing resolves them for the compiled code. */
export function unresolvedAliases(ctx: Ctx, c: AliasCheck): AliasImport[] {
  if (c.aliases.paths === undefined || !ctx.has(c.entry)) return [];
  if (rewritesAliases(c.buildText, c.declared)) return [];
  if (c.startArgv.some((a) => RUNTIME_RESOLVERS.test(a))) return [];
  // module-alias reads its map from package.json
  if (Object.hasOwn(c.raw, '_moduleAliases')) return [];
  const walk = walkImports(ctx, c.entry, c.aliases);
  if (walk.imports.some((i) => RESOLVER_PACKAGES.has(i.name))) return [];
  return ownAliases(walk.aliased, c.declared);
}

/** Drops specifiers naming a declared package (a `paths` entry shadowing it is not a missing module). */
function ownAliases(aliased: AliasImport[], declared: ReadonlySet<string>): AliasImport[] {
  return aliased.filter((a) => {
    const name = packageName(a.spec);
    return name === undefined || !declared.has(name);
  });
}

/** The imports from `entry` that only tsconfig `paths` resolves, whatever resolves them at run time. */
export function aliasImports(ctx: Ctx, entry: string, aliases: Aliases, declared: ReadonlySet<string>): AliasImport[] {
  if (aliases.paths === undefined || !ctx.has(entry)) return [];
  return ownAliases(walkImports(ctx, entry, aliases).aliased, declared);
}

/** The plan's warning (undefined when none); `dir`: the workspace member the paths are relative to. */
export function aliasNote(found: AliasImport[], entry: string, dir = ''): string | undefined {
  if (found.length === 0) return undefined;
  const at = dir === '' ? '' : `${dir}/`;
  const shown = found.slice(0, MAX_SHOWN);
  const list = shown.map((a) => `"${a.spec.slice(0, 80)}" (${at}${a.file}:${a.line})`).join(', ');
  // the walk records at most MAX_ALIASED
  const atLeast = found.length >= MAX_ALIASED ? 'at least ' : '';
  const more = found.length > shown.length ? ` and ${atLeast}${found.length - shown.length} more` : '';
  return `WARNING: ${list}${more} ${found.length === 1 ? 'resolves' : 'resolve'} only through tsconfig compilerOptions.paths (from ${at}${entry}): tsc does not rewrite import paths, so the compiled code fails at start with "Cannot find module"; run tsc-alias after tsc in the build script ("tsc && tsc-alias"), build with a bundler (esbuild, tsup), or use Node's package.json "imports" (#app/*); then choose the start with --start`;
}

/**
 * `node -r tsconfig-paths/register dist/x.js`: tsconfig-paths resolves the aliases at run time from
 * tsconfig.json, so it must be installed in the image (a production dependency) and find
 * tsconfig.json there, with the paths rebased onto the build output (TS_NODE_BASEURL). The final
 * stage copies the build output, node_modules and package.json only: with an output directory,
 * tsconfig-paths finds no tsconfig.json and skips ("tsconfig-paths will be skipped"), so the alias
 * imports fail. A warning, not a refusal: the start is what the project runs.
 */
export function tsconfigPathsNote(
  startArgv: readonly string[],
  deps: Record<string, unknown>,
  devDeps: Record<string, unknown>,
  outDir: string | undefined,
  aliased: AliasImport[],
): string | undefined {
  if (!startArgv.some((a) => /^tsconfig-paths(?:\/|$)/.test(a))) return undefined;
  const devOnly = !Object.hasOwn(deps, 'tsconfig-paths') && Object.hasOwn(devDeps, 'tsconfig-paths');
  const noConfig = aliased.length > 0 && outDir !== undefined && outDir !== '.';
  if (!devOnly && !noConfig) return undefined;
  const why: string[] = [];
  if (devOnly)
    why.push(
      `tsconfig-paths is listed only in devDependencies and the image installs production dependencies only, so node fails at start with "Cannot find module 'tsconfig-paths/register'"`,
    );
  if (noConfig) {
    const a = aliased[0];
    why.push(
      `the image holds ${outDir}, node_modules and package.json but no tsconfig.json, so tsconfig-paths skips and the alias imports (${aliased.length === 1 ? '' : 'first: '}"${a.spec.slice(0, 80)}" ${a.file}:${a.line}) fail with "Cannot find module"`,
    );
  }
  return `WARNING: the start registers tsconfig-paths (-r tsconfig-paths/register): ${why.join('; and ')}; rewrite the aliases at build time with tsc-alias ("tsc && tsc-alias") and drop -r tsconfig-paths/register${devOnly && !noConfig ? ', or move tsconfig-paths to dependencies' : ''}`;
}

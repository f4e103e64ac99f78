// yarn berry (2+): what .yarnrc.yml says about the install (nodeLinker, yarnPath, plugins) and the
// version that runs. Read once by the profile's layoutHints (capped, regular files only), kept in
// layout.settings and re-validated here, since .yo-rc.json can carry it too. Only these keys are
// read here: .yarnrc.yml may hold a registry token (npmAuthToken). The file reaches the image (the
// install stages copy it by name, and `COPY . .` of an app without a build), so a literal token stops
// the run in the build-context scan (SC0105, lib/policy/context.ts tokensIn): only `${VAR}` references.
import { parse } from 'yaml';
import type { RuntimeSettings } from '../../core/types.js';
import type { RepoPeek } from '../profile.js';

export type YarnLinker = 'pnp' | 'node-modules' | 'pnpm';

export interface Berry {
  /** nodeLinker; yarn's default is Plug'n'Play */
  linker: YarnLinker;
  /** the yarn major that runs (packageManager, else the yarnPath release's file name) */
  major?: number;
  /** .yarnrc.yml yarnPath: the committed release yarn defers to (copied before the install) */
  yarnPath?: string;
  /** .yarnrc.yml plugins: their committed files (copied before the install) */
  plugins: string[];
  /** the workspace-tools plugin is listed (yarn 2/3 need it for `yarn workspaces focus`) */
  workspaceTools: boolean;
  /** the member's package name, for `yarn workspaces focus <name>` */
  focus?: string;
}

/** A committed yarn release or plugin, copied by path into the image. */
const YARN_FILE = /^\.yarn\/(?:releases|plugins)\/(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._@/-]+\.c?js$/;
/** A package name yarn can focus on. */
export const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;
const MAX_YARNRC = 64 * 1024;

/** The settings keys this runtime keeps in layout.settings. */
export function berrySettingsOf(b: Berry): RuntimeSettings {
  return {
    yarnLinker: b.linker,
    ...(b.major !== undefined ? { yarnMajor: b.major } : {}),
    ...(b.yarnPath !== undefined ? { yarnPath: b.yarnPath } : {}),
    yarnPlugins: b.plugins,
    yarnWorkspaceTools: b.workspaceTools,
    ...(b.focus !== undefined ? { yarnFocus: b.focus } : {}),
  };
}

/** The settings, re-validated (they come from .yo-rc.json too). */
export function berryOf(s: RuntimeSettings | undefined): Berry {
  const linker = s?.yarnLinker === 'node-modules' || s?.yarnLinker === 'pnpm' ? s.yarnLinker : 'pnp';
  const major = typeof s?.yarnMajor === 'number' && Number.isInteger(s.yarnMajor) ? s.yarnMajor : undefined;
  const yarnPath = typeof s?.yarnPath === 'string' && YARN_FILE.test(s.yarnPath) ? s.yarnPath : undefined;
  const plugins = Array.isArray(s?.yarnPlugins) ? s.yarnPlugins.filter((p) => YARN_FILE.test(p)).slice(0, 20) : [];
  const focus = typeof s?.yarnFocus === 'string' && PACKAGE_NAME.test(s.yarnFocus) ? s.yarnFocus : undefined;
  return {
    linker,
    ...(major !== undefined ? { major } : {}),
    ...(yarnPath !== undefined ? { yarnPath } : {}),
    plugins,
    workspaceTools: s?.yarnWorkspaceTools === true,
    ...(focus !== undefined ? { focus } : {}),
  };
}

/** .yarnrc.yml and the pinned version -> the berry settings (I/O through the capped, link-refusing peek). */
export function readBerry(repo: RepoPeek, pinned: string | undefined): Berry {
  const text = repo.exists('.yarnrc.yml') ? repo.readText('.yarnrc.yml') : undefined;
  let rc: unknown;
  if (text !== undefined && text.length <= MAX_YARNRC) {
    try {
      rc = parse(text, { maxAliasCount: 10 });
    } catch {
      rc = undefined;
    }
  }
  const rec = rc !== null && typeof rc === 'object' && !Array.isArray(rc) ? (rc as Record<string, unknown>) : {};
  const linker: YarnLinker = rec.nodeLinker === 'node-modules' || rec.nodeLinker === 'pnpm' ? rec.nodeLinker : 'pnp';
  const rawPath = typeof rec.yarnPath === 'string' ? rec.yarnPath.replace(/^\.\//, '') : undefined;
  const yarnPath = rawPath !== undefined && YARN_FILE.test(rawPath) && repo.exists(rawPath) ? rawPath : undefined;
  const plugins: string[] = [];
  let workspaceTools = false;
  for (const p of Array.isArray(rec.plugins) ? rec.plugins.slice(0, 20) : []) {
    const entry =
      typeof p === 'string' ? { path: p } : p !== null && typeof p === 'object' ? (p as Record<string, unknown>) : {};
    const path = typeof entry.path === 'string' ? entry.path.replace(/^\.\//, '') : undefined;
    const spec = typeof entry.spec === 'string' ? entry.spec : '';
    if (/workspace-tools/.test(`${path ?? ''} ${spec}`)) workspaceTools = true;
    if (path !== undefined && YARN_FILE.test(path) && repo.exists(path)) plugins.push(path);
  }
  const fromPin = pinned !== undefined ? /^(\d+)\./.exec(pinned)?.[1] : undefined;
  const fromPath = yarnPath !== undefined ? /yarn-(\d+)\.\d+\.\d+[^/]*\.c?js$/.exec(yarnPath)?.[1] : undefined;
  const m = fromPin ?? fromPath;
  return {
    linker,
    ...(m !== undefined ? { major: Number(m) } : {}),
    ...(yarnPath !== undefined ? { yarnPath } : {}),
    plugins,
    workspaceTools,
  };
}

/**
 * Why `yarn workspaces focus` cannot run for this berry project (one line naming --workspace), or
 * undefined. yarn 4 has it built in; yarn 2/3 need the workspace-tools plugin.
 */
export function focusRefusal(b: Berry, member: string): string | undefined {
  if (b.major === undefined)
    return `the yarn version is not pinned (.yarnrc.yml but no "packageManager": "yarn@4.x.y" in package.json and no yarnPath release): corepack would install yarn 1, which cannot install one member of a yarn 2+ workspace; add "packageManager": "yarn@<version>" to package.json`;
  if (b.major < 4 && !b.workspaceTools)
    return `yarn ${b.major} installs one workspace member only with the workspace-tools plugin ("yarn workspaces focus"): run \`yarn plugin import workspace-tools\` (it is listed in .yarnrc.yml plugins) or move to yarn 4 (\`yarn set version stable\`), where it is built in`;
  if (b.focus === undefined)
    return `${member}/package.json has no "name" yarn can focus on ("yarn workspaces focus <name>"): give the member a package name`;
  return undefined;
}

/**
 * Plug'n'Play at run time: node loads .pnp.cjs (what `yarn node` does), and the ESM loader yarn
 * writes when an ESM package needs it, registered through module.register() (no experimental
 * --loader flag); the shim is written by the install stage, so it does not depend on what yarn wrote.
 */
export const PNP_REGISTER = '.pnp.register.cjs';
export const PNP_NODE_OPTIONS = `--require /app/.pnp.cjs --require /app/${PNP_REGISTER}`;
export const PNP_REGISTER_WRITE = `printf '%s\\n' "const f=require('path').join(__dirname,'.pnp.loader.mjs');if(require('fs').existsSync(f))require('module').register(require('url').pathToFileURL(f));" > ${PNP_REGISTER}`;

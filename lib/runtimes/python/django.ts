// Django projects as they are (issue 10 items 2 and 7): settings in a module or a package
// (`config/settings/base.py` + `production.py`), the WSGI module next to them, and `collectstatic`
// at build time with DJANGO_SETTINGS_MODULE set to the production settings. Pure.
import type { BuildStep } from '../../core/types.js';
import type { Ctx } from '../../detect/model.js';
import { dirname } from '../../detect/text.js';

export interface DjangoProject {
  /** "config.wsgi" */
  wsgiModule?: string;
  /** how the WSGI module was found */
  wsgiSource?: string;
  /** the settings module manage.py (or wsgi.py) names by default: "config.settings.local" */
  defaultSettings?: string;
  /** the production settings module, when the settings are a package with one: "config.settings.production" */
  productionSettings?: string;
  productionSource?: string;
  /** the settings modules read (production first, then what it star-imports), as files */
  settingsFiles: string[];
  /** collectstatic at build time */
  collectstatic?: BuildStep;
  /** why collectstatic is left to the user (it needs credentials or values only the deployment has) */
  collectstaticLeft?: string;
  /** where uploads are written (MEDIA_ROOT), as an absolute path in the image: "/app/media" */
  mediaRoot?: { dir: string; source: string };
  notes: string[];
}

const SETTINGS_RE = /DJANGO_SETTINGS_MODULE['"]?\s*(?:,|\]\s*=|=)\s*['"]([A-Za-z_][\w.]*)['"]/;
const PRODUCTION_NAMES = ['production', 'prod', 'live'];

/** "config.settings.base" -> the file that defines it, if listed. */
function moduleFile(ctx: Ctx, mod: string): string | undefined {
  const p = mod.replace(/\./g, '/');
  return [`${p}.py`, `${p}/__init__.py`].find((f) => ctx.has(f));
}

/** Read where DJANGO_SETTINGS_MODULE defaults to, in manage.py then any wsgi.py/asgi.py. */
function settingsDefault(ctx: Ctx): { module: string; file: string } | undefined {
  const candidates = [
    'manage.py',
    ...ctx.files.list.filter((f) => /(?:^|\/)(?:wsgi|asgi)\.py$/.test(f) && f.split('/').length <= 3).sort(),
  ];
  for (const f of candidates) {
    const m = SETTINGS_RE.exec(ctx.read(f) ?? '');
    if (m) return { module: m[1], file: f };
  }
  return undefined;
}

/** Find the project's WSGI module, its settings and the production settings module. */
export function detectDjango(ctx: Ctx): DjangoProject {
  const out: DjangoProject = { settingsFiles: [], notes: [] };
  const def = settingsDefault(ctx);
  let settingsDir: string | undefined;
  if (def) {
    out.defaultSettings = def.module;
    const file = moduleFile(ctx, def.module);
    if (file === undefined) out.notes.push(`${def.file}: settings module ${def.module} is not in the repository`);
    else {
      // a settings package: config/settings/{base,local,production}.py, or config/settings/__init__.py
      const dir = file.endsWith('/__init__.py') ? dirname(file) : dirname(file);
      settingsDir = dir;
      const base = file.replace(/\.py$/, '').split('/').pop() ?? '';
      const isPackageMember =
        file.endsWith('/__init__.py') || /(?:^|\/)(?:settings|django)$/.test(dir) || ctx.has(`${dir}/base.py`);
      if (PRODUCTION_NAMES.includes(base)) {
        out.productionSettings = def.module;
        out.productionSource = `${def.file}: DJANGO_SETTINGS_MODULE ${def.module}`;
      } else if (isPackageMember) {
        const pkgDir = file.endsWith('/__init__.py') ? dirname(file) : dir;
        const prod = PRODUCTION_NAMES.map((n) => `${pkgDir}/${n}.py`).find((f) => ctx.has(f));
        if (prod !== undefined) {
          out.productionSettings = prod.replace(/\.py$/, '').replace(/\//g, '.');
          out.productionSource = `${prod} (the settings package of ${def.module}, ${def.file})`;
        }
      }
    }
  } else {
    // no default named: a settings package with a production module anywhere shallow
    const prod = ctx.files.list
      .filter((f) => /(?:^|\/)settings\/(?:production|prod)\.py$/.test(f) && f.split('/').length <= 4)
      .sort()
      .at(0);
    if (prod !== undefined) {
      out.productionSettings = prod.replace(/\.py$/, '').replace(/\//g, '.');
      out.productionSource = prod;
      settingsDir = dirname(prod);
    }
  }

  // the WSGI module: walk up from the settings module (config/settings/x.py -> config/wsgi.py)
  const from = def?.module ?? out.productionSettings;
  if (from !== undefined) {
    const parts = from.split('.');
    for (let k = parts.length - 1; k >= 1 && out.wsgiModule === undefined; k--) {
      const pkg = parts.slice(0, k).join('/');
      if (ctx.has(`${pkg}/wsgi.py`)) {
        out.wsgiModule = `${parts.slice(0, k).join('.')}.wsgi`;
        out.wsgiSource = `${def ? `${def.file}: DJANGO_SETTINGS_MODULE ${def.module}` : out.productionSource} + ${pkg}/wsgi.py`;
      }
    }
  }
  if (out.wsgiModule === undefined) {
    const w = ctx.files.list
      .filter(
        (f) =>
          /^[A-Za-z_]\w*\/wsgi\.py$/.test(f) &&
          (ctx.has(`${dirname(f)}/settings.py`) ||
            ctx.has(`${dirname(f)}/settings/__init__.py`) ||
            settingsDir?.startsWith(dirname(f)) === true),
      )
      .sort();
    if (w.length > 0) {
      out.wsgiModule = `${dirname(w[0])}.wsgi`;
      out.wsgiSource = `${w[0]}${w.length > 1 ? ` (also ${w.slice(1).join(', ')})` : ''}`;
    }
  }

  // the settings the image runs with, and what they import
  const runSettings = out.productionSettings ?? def?.module;
  if (runSettings !== undefined) out.settingsFiles = settingsChain(ctx, runSettings);
  const step = collectstatic(ctx, out);
  if (step) out.collectstatic = step;
  const media = mediaRoot(ctx, out);
  if (media !== undefined) out.mediaRoot = media;
  return out;
}

/**
 * MEDIA_ROOT of the settings the image runs with (production first, then what it star-imports):
 * the directory uploads are written to, which needs a volume on a read-only root (P8). The path
 * expressions Django projects use are evaluated relative to each settings file (`__file__`):
 * `os.path.dirname`/`abspath`/`normpath`/`join`, `Path(...).resolve().parent`, `/`, `joinpath`,
 * `str(...)`, and the variables the settings define with them (BASE_DIR, PROJECT_DIR, APPS_DIR…).
 * Anything else (an environment variable, a conditional) proposes nothing. Uploads to object
 * storage (django-storages as the default storage) need no volume.
 */
function mediaRoot(ctx: Ctx, d: DjangoProject): { dir: string; source: string } | undefined {
  const texts = d.settingsFiles.map((f) => ({ f, text: ctx.read(f) ?? '' }));
  if (texts.some(({ text }) => REMOTE_STORAGE_RE.test(text))) return undefined;
  const vars = new Map<string, PathValue>();
  let found: { dir: string; source: string } | undefined;
  // base modules first (they are star-imported), so a later definition wins as in Python
  for (const { f, text } of [...texts].reverse()) {
    for (const { line, n } of unconditionalLines(text)) {
      const m = /^([A-Za-z_]\w*)(?:\s*:\s*[\w.[\]]+)?\s*=\s*(.+?)\s*(?:#.*)?$/.exec(line);
      if (!m || m[2].length > 300) continue;
      const v = evalPath(m[2], f, vars);
      if (m[1] === 'MEDIA_ROOT') {
        found = undefined;
        if (v !== undefined) {
          const dir = v.abs ? v.path : v.path === '.' ? '/app' : `/app/${v.path}`;
          if (/^\/[\w.-]+(?:\/[\w.-]+)*$/.test(dir) && dir !== '/app')
            found = { dir, source: `${f}:${n}: MEDIA_ROOT = ${m[2].slice(0, 80)} (uploads are written there)` };
        }
      } else if (v !== undefined) vars.set(m[1], v);
      else vars.delete(m[1]);
    }
  }
  return found;
}

/** django-storages (S3, GCS, Azure) as the default storage: uploads do not touch the filesystem. */
const REMOTE_STORAGE_RE =
  /^(?:DEFAULT_FILE_STORAGE\s*=\s*['"]storages\.|\s*['"]default['"]\s*:\s*\{\s*['"]BACKEND['"]\s*:\s*['"]storages\.)/m;

const CALLS = new Set([
  'os.path.dirname',
  'os.path.abspath',
  'os.path.realpath',
  'os.path.normpath',
  'os.path.join',
  'pathlib.Path',
]);

/** A directory: repository-relative ("." the root, "bakerydemo/media") or absolute in the image. */
interface PathValue {
  path: string;
  abs: boolean;
}

/** Join path segments, resolving ".." (undefined above the repository root). */
function joinPath(base: PathValue, seg: string): PathValue | undefined {
  // an absolute segment replaces the base, as os.path.join and pathlib do
  const abs = seg.startsWith('/') || base.abs;
  const parts =
    seg.startsWith('/') || base.path === '.' || base.path === '/' ? [] : base.path.replace(/^\//, '').split('/');
  for (const x of seg.split('/')) {
    if (x === '' || x === '.') continue;
    if (x === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(x);
  }
  return { path: abs ? `/${parts.join('/')}` : parts.length ? parts.join('/') : '.', abs };
}
function normal(p: string, abs: boolean): PathValue | undefined {
  return joinPath({ path: abs ? '/' : '.', abs }, p);
}
const parentOf = (v: PathValue): PathValue | undefined => joinPath(v, '..');

/**
 * Evaluates the path expressions of Django settings (a small recursive-descent parser over the
 * forms above; linear in the expression, which is capped at 300 characters). Strings evaluate to
 * themselves as a segment; anything unknown to undefined.
 */
function evalPath(src: string, file: string, vars: ReadonlyMap<string, PathValue>): PathValue | undefined {
  type V = PathValue | { str: string } | undefined;
  let i = 0;
  const ws = (): void => {
    while (src[i] === ' ' || src[i] === '\t') i++;
  };
  const eat = (t: string): boolean => {
    ws();
    if (src.startsWith(t, i)) {
      i += t.length;
      return true;
    }
    return false;
  };
  const asPath = (v: V): PathValue | undefined =>
    v === undefined ? undefined : 'str' in v ? normal(v.str, v.str.startsWith('/')) : v;
  const join = (a: V, b: V): V => {
    const p = asPath(a);
    if (p === undefined || b === undefined) return undefined;
    return 'str' in b ? joinPath(p, b.str) : b.abs ? b : undefined;
  };
  const args = (): V[] | undefined => {
    const out: V[] = [];
    if (eat(')')) return out;
    for (;;) {
      out.push(expr());
      if (eat(')')) return out;
      if (!eat(',')) return undefined;
    }
  };
  const primary = (): V => {
    ws();
    const q = src[i];
    if (q === '"' || q === "'") {
      const end = src.indexOf(q, i + 1);
      if (end === -1) return undefined;
      const str = src.slice(i + 1, end);
      i = end + 1;
      return { str };
    }
    if (eat('(')) {
      const v = expr();
      return eat(')') ? v : undefined;
    }
    const m = /^[A-Za-z_][\w.]*/.exec(src.slice(i));
    if (!m) return undefined;
    // a dotted name is a function we know (os.path.join) or a variable and its methods (BASE_DIR.joinpath)
    const name = CALLS.has(m[0]) ? m[0] : (/^[A-Za-z_]\w*/.exec(m[0])?.[0] ?? m[0]);
    i += name.length;
    if (eat('(')) {
      const a = args();
      if (a === undefined) return undefined;
      switch (name) {
        case 'os.path.dirname':
          return a.length === 1 ? (asPath(a[0]) ? parentOf(asPath(a[0]) as PathValue) : undefined) : undefined;
        case 'os.path.abspath':
        case 'os.path.realpath':
        case 'os.path.normpath':
        case 'Path':
        case 'pathlib.Path':
        case 'str':
          return a.length === 1 ? a[0] : undefined;
        case 'os.path.join':
          return a.slice(1).reduce<V>((acc, x) => join(acc, x), a[0]);
        default:
          return undefined;
      }
    }
    if (name === '__file__') return normal(file, false);
    return vars.get(name);
  };
  const postfix = (): V => {
    let v = primary();
    for (;;) {
      if (eat('.parent')) {
        if (src[i] === 's') return undefined; // .parents[k]: not understood
        v = asPath(v) ? parentOf(asPath(v) as PathValue) : undefined;
      } else if (eat('.resolve()') || eat('.absolute()')) {
        /* the same directory */
      } else if (eat('.joinpath(')) {
        const a = args();
        v = a === undefined ? undefined : a.reduce<V>((acc, x) => join(acc, x), v);
      } else return v;
    }
  };
  const expr = (): V => {
    let v = postfix();
    while (eat('/')) v = join(v, postfix());
    return v;
  };
  const v = expr();
  ws();
  return i === src.length ? asPath(v) : undefined;
}

/** The settings module's file and the modules it star-imports (`from .base import *`), in the repo, bounded. */
function settingsChain(ctx: Ctx, mod: string): string[] {
  const files: string[] = [];
  const visit = (m: string, depth: number): void => {
    const f = moduleFile(ctx, m);
    if (f === undefined || files.includes(f) || depth > 3 || files.length >= 8) return;
    files.push(f);
    const text = ctx.read(f) ?? '';
    const pkg = f.endsWith('/__init__.py') ? m : m.split('.').slice(0, -1).join('.');
    for (const im of text.matchAll(/^from\s+(\.*)([\w.]*)\s+import\s+\*/gm)) {
      const dots = im[1].length;
      let target: string;
      if (dots === 0) target = im[2];
      else {
        const up = pkg.split('.').slice(0, Math.max(0, pkg.split('.').length - (dots - 1)));
        target = [...up, ...(im[2] ? [im[2]] : [])].join('.');
      }
      if (target) visit(target, depth + 1);
    }
  };
  visit(mod, 0);
  return files;
}

/** The storage backends configured for static files (STATICFILES_STORAGE, STORAGES["staticfiles"]). */
function staticBackends(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^STATICFILES_STORAGE\s*=\s*['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/['"]staticfiles['"]\s*:\s*\{[^}]*?['"]BACKEND['"]\s*:\s*['"]([^'"]+)['"]/g))
    out.push(m[1]);
  for (const m of text.matchAll(
    /STORAGES\[\s*['"]staticfiles['"]\s*\]\s*\[\s*['"]BACKEND['"]\s*\]\s*=\s*\(?\s*['"]([^'"]+)['"]/g,
  ))
    out.push(m[1]);
  return out;
}

/** A value for a required setting at build time: obviously not a secret, of the type the accessor parses. */
function placeholder(accessor: string, name: string): string | undefined {
  switch (accessor) {
    case 'db':
    case 'db_url':
      return 'sqlite://:memory:';
    case 'cache':
    case 'cache_url':
      return 'locmemcache://';
    case 'bool':
      return 'False';
    case 'int':
    case 'float':
      return '0';
    case 'list':
    case 'tuple':
      return 'localhost';
    case 'json':
    case 'dict':
      return undefined;
    default:
      if (/DATABASE_URL$/.test(name)) return 'sqlite://:memory:';
      if (/_DSN$/.test(name)) return '';
      if (/(?:^|_)DEBUG$/.test(name)) return 'False';
      return 'build-only-not-a-secret';
  }
}

/** A settings line that always runs (module level, or the continuation of a module-level statement). */
function unconditionalLines(text: string): { line: string; n: number }[] {
  const out: { line: string; n: number }[] = [];
  let block = false;
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^[^\s)\]}]/.test(line) && !line.startsWith('#')) {
      block = /^(?:if|elif|else|try|except|finally|for|while|with|def|class|async)\b/.test(line);
      if (!block) out.push({ line, n: i + 1 });
    } else if (!block && line.trim() !== '') out.push({ line, n: i + 1 });
  });
  return out;
}

const MAX_PLACEHOLDERS = 16;

/**
 * `python manage.py collectstatic --noinput` at build time, with DJANGO_SETTINGS_MODULE set to the
 * production settings and build-only placeholders for the settings they require from the
 * environment at import (django-environ `env("X")` without a default, `os.environ["X"]` at module
 * level). Not proposed (a note says why) when static files are not configured, go to a cloud
 * storage (credentials at build time), or the settings need values we cannot stand in for.
 */
function collectstatic(ctx: Ctx, d: DjangoProject): BuildStep | undefined {
  if (d.settingsFiles.length === 0 || !ctx.has('manage.py')) return undefined;
  const texts = d.settingsFiles.map((f) => ({ f, text: ctx.read(f) ?? '' }));
  const all = texts.map((t) => t.text).join('\n');
  if (!/['"]django\.contrib\.staticfiles['"]/.test(all)) return undefined;
  const root = /^STATIC_ROOT\s*=\s*(.+)$/m.exec(all);
  if (!root) {
    d.notes.push(`${d.settingsFiles.join(', ')}: no STATIC_ROOT, so collectstatic is not run at build time`);
    return undefined;
  }
  const abs = /^(?:str\()?\s*['"](\/[^'"]*)['"]/.exec(root[1].trim());
  if (abs && !abs[1].startsWith('/app/')) {
    d.notes.push(
      `STATIC_ROOT is ${abs[1]}, outside the image's /app: collectstatic is left to you (set STATIC_ROOT under the project, e.g. BASE_DIR / "staticfiles")`,
    );
    return undefined;
  }
  if (staticBackends(all).some((b) => /storages\.backends|s3|google|gcloud|gcs|azure/i.test(b))) {
    d.collectstaticLeft = 'static files go to a cloud storage (django-storages): collectstatic needs its credentials';
    d.notes.push(`${d.collectstaticLeft}, so it is left to you at release`);
    return undefined;
  }
  const env = new Map<string, string>();
  if (d.productionSettings !== undefined && d.productionSettings !== d.defaultSettings)
    env.set('DJANGO_SETTINGS_MODULE', d.productionSettings);
  const unknown: string[] = [];
  for (const { text } of texts) {
    for (const { line } of unconditionalLines(text)) {
      for (const m of line.matchAll(/\benv(?:\.(\w+))?\(\s*['"]([A-Za-z_]\w*)['"]\s*(,[^)]*)?\)/g)) {
        // the optional groups: undefined when absent
        const g: readonly (string | undefined)[] = m;
        const rest = g[3];
        if (rest !== undefined && /default\s*=|,\s*[^\s)]/.test(rest)) continue;
        const v = placeholder(g[1] ?? 'str', m[2]);
        if (v === undefined) unknown.push(m[2]);
        else if (!env.has(m[2])) env.set(m[2], v);
      }
      for (const m of line.matchAll(/\bos\.environ\[\s*['"]([A-Za-z_]\w*)['"]\s*\]/g)) {
        const v = placeholder('str', m[1]);
        if (v !== undefined && !env.has(m[1])) env.set(m[1], v);
      }
    }
  }
  if (unknown.length > 0 || env.size > MAX_PLACEHOLDERS) {
    d.collectstaticLeft = `the production settings require ${unknown.length > 0 ? unknown.join(', ') : `${env.size} environment values`} at import`;
    d.notes.push(`${d.collectstaticLeft}: collectstatic is left to you`);
    return undefined;
  }
  const placeholders = [...env.keys()].filter((k) => k !== 'DJANGO_SETTINGS_MODULE');
  return {
    argv: ['python', 'manage.py', 'collectstatic', '--noinput'],
    ...(env.size > 0 ? { env: Object.fromEntries(env) } : {}),
    why:
      `Django static files (STATIC_ROOT in ${texts.find((t) => /^STATIC_ROOT\s*=/m.test(t.text))?.f ?? d.settingsFiles[0]})` +
      (placeholders.length > 0
        ? `; ${placeholders.join(', ')} ${placeholders.length === 1 ? 'is' : 'are'} required by the settings at import: build-only placeholders, set on that RUN line only (visible in the image history, obviously not secrets, never in the image's environment)`
        : ''),
  };
}

// The application's own configuration (Spring Boot, Quarkus, Micronaut, Ktor): application.properties,
// application.yml/.yaml and Ktor's application.conf, read for the port and the paths in front of the
// health endpoint. Only the base file of each kind (profiles such as application-prod.properties
// override at run time; they are named in a note when they change the port). Pure.
import { parse as parseYaml } from 'yaml';
import type { Ctx } from '../../detect/model.js';
import { isRecord, LineIndex } from '../../detect/text.js';

export interface ConfigValue {
  value: string;
  source: string;
}

/** Flat key -> value (with file:line source) of one application config file. */
export type AppConfig = Map<string, ConfigValue>;

function fromProperties(file: string, text: string, out: AppConfig): void {
  const lines = new LineIndex(text);
  let offset = 0;
  for (const line of text.split(/\n/)) {
    const m = /^[ \t]*([A-Za-z0-9_.[\]-]{1,200})[ \t]*[=:][ \t]*(.*?)[ \t\r]*$/.exec(line);
    if (m && !/^[ \t]*[#!]/.test(line) && !out.has(m[1]))
      out.set(m[1], { value: m[2], source: lines.source(file, offset) });
    offset += line.length + 1;
  }
}

function fromYaml(file: string, text: string, out: AppConfig): void {
  let doc: unknown;
  try {
    // the first document only (later ones are profile-specific); no alias expansion bombs
    doc = parseYaml(text.split(/^---\s*$/m)[0] ?? '', { maxAliasCount: 50, uniqueKeys: false });
  } catch {
    return;
  }
  const lines = new LineIndex(text);
  const walk = (v: unknown, prefix: string): void => {
    if (!isRecord(v)) {
      if (
        prefix !== '' &&
        (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') &&
        !out.has(prefix)
      ) {
        const last = prefix.slice(prefix.lastIndexOf('.') + 1);
        const at = text.search(new RegExp(`^[ \\t]*${last.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}[ \\t]*:`, 'm'));
        out.set(prefix, { value: String(v), source: at >= 0 ? lines.source(file, at) : `${file}: ${prefix}` });
      }
      return;
    }
    for (const [k, x] of Object.entries(v)) if (out.size < 2000) walk(x, prefix === '' ? k : `${prefix}.${k}`);
  };
  walk(doc, '');
}

/** Ktor's HOCON: `ktor { deployment { port = 8080; port = ${?PORT} } }`: the port only. */
function fromHocon(file: string, text: string, out: AppConfig): void {
  const m = /\bdeployment\s*\{[^}]{0,2000}?\bport\s*[=:]\s*(\d{2,5})/.exec(text);
  if (m)
    out.set('ktor.deployment.port', {
      value: m[1],
      source: new LineIndex(text).source(file, m.index + m[0].lastIndexOf('port')),
    });
}

/** The base application config files of a module directory ("." or "app"). */
export function readAppConfig(ctx: Ctx, moduleDir: string): AppConfig {
  const out: AppConfig = new Map();
  const base = moduleDir === '.' ? 'src/main/resources' : `${moduleDir}/src/main/resources`;
  for (const name of ['application.properties', 'application.yml', 'application.yaml', 'application.conf']) {
    const file = `${base}/${name}`;
    const text = ctx.read(file);
    if (text === undefined) continue;
    if (name.endsWith('.properties')) fromProperties(file, text, out);
    else if (name.endsWith('.conf')) fromHocon(file, text, out);
    else fromYaml(file, text, out);
  }
  return out;
}

/** A port value: "8081", "${PORT:8081}" (Spring's default syntax) -> 8081; "${PORT}" or "0" -> undefined. */
export function portOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(?:\$\{[A-Za-z0-9_.-]{1,80}:(\d{2,5})\}|"?(\d{2,5})"?)$/.exec(v.trim());
  const g: readonly (string | undefined)[] | null = m;
  const n = g ? Number(g[1] ?? g[2]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** A URL path from config ("/api", "api/", "${CTX:/api}"): normalised to "/api", "" for "/"; undefined when unreadable. */
export function pathOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const m = /^(?:\$\{[A-Za-z0-9_.-]{1,80}:([^}]*)\}|(.*))$/.exec(v.trim());
  const p = (m?.[1] ?? m?.[2] ?? '').replace(/^"|"$/g, '');
  if (!/^\/?[A-Za-z0-9._~/-]*$/.test(p) || p.includes('..')) return undefined;
  const clean = `/${p}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return clean;
}

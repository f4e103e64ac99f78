// Fixers for compose rules: edits at the offsets of the YAML nodes the model was read from (the
// `yaml` Document's ranges), so comments, quoting, flow or block style and indentation of
// everything else stay as written. A key is added at the end of its mapping, indented like its
// siblings; an item at the end of its list, in the list's style.
import type { Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { yaml } from '../../core/yaml.js';
import { isRootUser, parsePorts, type ComposeModel, type ComposeService } from '../../policy/compose/model.js';
import { insertLinesAfter, type Edit } from './text.js';
import type { FixContext, Fixer, FixResult } from './types.js';

type Ctx = FixContext<ComposeModel>;

const nodeRange = (n: unknown): [number, number] | null => {
  const r = (n as Node | null)?.range;
  return r ? [r[0], r[1]] : null;
};

/** The service's own pair for `key` (not one brought in by a `<<` merge). */
function ownPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => yaml().isScalar(p.key) && p.key.value === key);
}

/** 1-based lines a service spans (its key to the end of its mapping). */
function serviceLines(ctx: Ctx, s: ComposeService): [number, number] {
  const r = nodeRange(s.node);
  return [s.line, r ? ctx.lines.lineOf(Math.max(r[0], r[1] - 1)) + 1 : s.line];
}

function hasFindingIn(ctx: Ctx, from: number, to: number): number | null {
  for (let l = from; l <= to; l++) if (ctx.findingLines.has(l)) return l;
  return null;
}

/** Indentation of a block mapping's keys (spaces up to its first key's column). */
function keyIndent(ctx: Ctx, map: YAMLMap): string | null {
  const first = nodeRange(map.items[0]?.key);
  if (!first) return null;
  const line = ctx.lines.lineOf(first[0]);
  return ' '.repeat(first[0] - ctx.lines.starts[line]);
}

/** New `key: value` lines at the end of a block mapping. Null for a flow mapping `{…}`. */
function addKeys(ctx: Ctx, map: YAMLMap, added: readonly string[]): Edit | null {
  if (map.flow || map.items.length === 0) return null;
  const indent = keyIndent(ctx, map);
  const last = map.items[map.items.length - 1];
  const end = nodeRange(last.value)?.[1] ?? nodeRange(last.key)?.[1];
  if (indent === null || end === undefined) return null;
  const line = ctx.lines.lineOf(Math.max(0, end - 1));
  return insertLinesAfter(
    ctx.lines,
    line,
    added.map((a) => indent + a),
    ctx.eol,
  );
}

/** A new item at the end of a list, in its style (`[a, b]` → `[a, b, c]`; block → a `- c` line). */
function addItem(ctx: Ctx, seq: YAMLSeq, item: string): Edit | null {
  const r = nodeRange(seq);
  if (!r) return null;
  if (seq.flow) {
    const close = ctx.text.lastIndexOf(']', r[1]);
    if (close < r[0]) return null;
    const last = seq.items[seq.items.length - 1];
    const lastEnd = nodeRange(last)?.[1];
    if (lastEnd === undefined) return { start: close, end: close, text: item };
    return { start: lastEnd, end: lastEnd, text: `, ${item}` };
  }
  const last = seq.items[seq.items.length - 1];
  const lr = nodeRange(last);
  if (!lr || !yaml().isScalar(last)) return null;
  const line = ctx.lines.lineOf(lr[0]);
  const start = ctx.lines.starts[line];
  const dash = ctx.text.lastIndexOf('-', lr[0]);
  if (dash < start || ctx.text.slice(start, dash).trim() !== '') return null;
  return insertLinesAfter(
    ctx.lines,
    ctx.lines.lineOf(Math.max(lr[0], lr[1] - 1)),
    [`${ctx.text.slice(start, dash)}- ${item}`],
    ctx.eol,
  );
}

/** A scalar's new value, written in the scalar's own quoting (plain → double-quoted when it must). */
function requote(source: string, value: string, plainOk: boolean): string {
  if (source.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (source.startsWith('"') || !plainOk) return JSON.stringify(value);
  return value;
}

/** Per service with a finding of the rule: run `fix`; it returns edits or a reason. */
function perService(ctx: Ctx, fix: (s: ComposeService, line: number) => Edit[] | string | null): FixResult {
  const out: FixResult = { edits: [], skipped: [] };
  for (const s of ctx.model.services) {
    const [from, to] = serviceLines(ctx, s);
    const line = hasFindingIn(ctx, from, to);
    if (line === null) continue;
    if (s.node.flow) {
      out.skipped.push({ line, reason: `service "${s.name}" is a flow mapping ({…}): not rewritten` });
      continue;
    }
    const r = fix(s, line);
    if (typeof r === 'string') out.skipped.push({ line, reason: r });
    else if (r) out.edits.push(...r);
  }
  return out;
}

/** Add `key: value` to the service, or `item` to its existing list under `key`. */
function addToList(ctx: Ctx, s: ComposeService, key: string, newKeyLine: string, item: string): Edit[] | string {
  const pair = ownPair(s.node, key);
  if (!pair) {
    if (s.has(key)) return `${key} comes from a merged mapping (<<): change it there`;
    const e = addKeys(ctx, s.node, [newKeyLine]);
    return e ? [e] : `service "${s.name}": cannot place ${key}`;
  }
  if (!yaml().isSeq(pair.value)) return `${key} is not a list: not rewritten`;
  const e = addItem(ctx, pair.value, item);
  return e ? [e] : `${key}: this list layout is not rewritten`;
}

const userIsNonRoot = (s: ComposeService): boolean => {
  const u = s.value.user;
  if (typeof u !== 'string' && typeof u !== 'number') return false;
  const v = String(u).trim();
  return v !== '' && !v.includes('$') && !isRootUser(v);
};

export const capDropAll: Fixer<ComposeModel> = {
  rule: 'SC2003',
  kind: 'compose',
  what: 'adds `cap_drop: [ALL]` (or ALL to an existing cap_drop list) to a service that runs as a non-root `user:` and adds no capability (a service that starts as root may need capabilities to set itself up)',
  fix: (ctx) =>
    perService(ctx, (s) => {
      if (s.value.privileged === true) return 'the service is privileged: capabilities do not apply';
      if (!userIsNonRoot(s))
        return 'the service may start as root, whose setup can need capabilities: set a non-root `user:` first';
      return addToList(ctx, s, 'cap_drop', 'cap_drop: [ALL]', 'ALL');
    }),
};

export const noNewPrivileges: Fixer<ComposeModel> = {
  rule: 'SC2004',
  kind: 'compose',
  what: 'adds `security_opt: ["no-new-privileges:true"]` (or the item to an existing security_opt list), unless the service sets no-new-privileges to false',
  fix: (ctx) =>
    perService(ctx, (s) => {
      const opts = Array.isArray(s.value.security_opt) ? s.value.security_opt.map(String) : [];
      if (opts.some((o) => /^no-new-privileges/i.test(o.replace(/\s/g, ''))))
        return 'no-new-privileges is set to false explicitly: change it yourself';
      return addToList(ctx, s, 'security_opt', 'security_opt: ["no-new-privileges:true"]', 'no-new-privileges:true');
    }),
};

const ALL_INTERFACES = new Set(['', '0.0.0.0', '::', '[::]']);
/** Published ports meant to be reached from outside (a reverse proxy): not bound to loopback automatically. */
const PUBLIC_PORTS = new Set(['80', '443']);

export const portLoopback: Fixer<ComposeModel> = {
  rule: 'SC2009',
  kind: 'compose',
  what: 'binds a published port to 127.0.0.1 ("8080:8080" → "127.0.0.1:8080:8080", `host_ip: 127.0.0.1` in the long syntax), except ports 80 and 443, which are usually meant to be public',
  fix(ctx) {
    const out: FixResult = { edits: [], skipped: [] };
    for (const s of ctx.model.services) {
      const pair = ownPair(s.node, 'ports');
      if (!pair || !yaml().isSeq(pair.value)) continue;
      const seq = pair.value;
      for (const p of parsePorts(s.value.ports)) {
        const node = seq.items[p.index];
        const r = nodeRange(node);
        if (!r) continue;
        const line = ctx.lines.lineOf(r[0]) + 1;
        if (!ctx.findingLines.has(line)) continue;
        const skip = (reason: string): void => void out.skipped.push({ line, reason });
        if (p.published !== null && PUBLIC_PORTS.has(p.published)) {
          skip(`port ${p.published} is usually meant to be public: bind it to the interface it serves explicitly`);
          continue;
        }
        if (yaml().isScalar(node)) {
          const v = String(node.value).trim();
          if (v.includes('$')) {
            skip('the port uses a variable: not rewritten');
            continue;
          }
          let next: string;
          if (p.hostIp !== null && ALL_INTERFACES.has(p.hostIp)) {
            const m = /^(?:\[[^\]]*\]|[^:]*):/.exec(v);
            if (!m) continue;
            next = `127.0.0.1:${v.slice(m[0].length)}`;
          } else if (p.hostIp === null) next = p.published === null ? `127.0.0.1::${v}` : `127.0.0.1:${v}`;
          else continue;
          out.edits.push({ start: r[0], end: r[1], text: requote(ctx.text.slice(r[0], r[1]), next, false) });
        } else if (yaml().isMap(node)) {
          if (node.flow) {
            skip('a flow mapping ({…}) port is not rewritten');
            continue;
          }
          const host = ownPair(node, 'host_ip');
          const hr = nodeRange(host?.value);
          if (host && hr)
            out.edits.push({
              start: hr[0],
              end: hr[1],
              text: requote(ctx.text.slice(hr[0], hr[1]), '127.0.0.1', true),
            });
          else if (!host) {
            const e = addKeys(ctx, node, ['host_ip: 127.0.0.1']);
            if (e) out.edits.push(e);
          }
        }
      }
    }
    return out;
  },
};

/** `tmpfs` / `volumes` already give /tmp its own writable filesystem. */
function tmpIsWritable(v: Record<string, unknown>): boolean {
  const tmpfs = Array.isArray(v.tmpfs) ? v.tmpfs.map(String) : typeof v.tmpfs === 'string' ? [v.tmpfs] : [];
  if (tmpfs.some((t) => t === '/tmp' || t.startsWith('/tmp:'))) return true;
  const vols = Array.isArray(v.volumes) ? v.volumes : [];
  return vols.some((x) =>
    typeof x === 'string'
      ? x.split(':')[1] === '/tmp'
      : !!x && typeof x === 'object' && (x as Record<string, unknown>).target === '/tmp',
  );
}

export const readOnlyRootfs: Fixer<ComposeModel> = {
  rule: 'SC2011',
  kind: 'compose',
  what: 'adds `read_only: true` and `tmpfs: [/tmp]` to a service built from the repository (`build:`); third-party images often write elsewhere, and `read_only: false` set explicitly is kept',
  fix: (ctx) =>
    perService(ctx, (s) => {
      if (s.has('read_only')) return 'read_only is set explicitly: change it yourself';
      if (!s.has('build'))
        return 'not built from this repository: the image may write outside /tmp (check where, then set read_only: true)';
      if (s.value.privileged === true) return 'the service is privileged';
      const lines = ['read_only: true'];
      const edits: Edit[] = [];
      if (!tmpIsWritable(s.value)) {
        if (s.has('tmpfs')) {
          const pair = ownPair(s.node, 'tmpfs');
          if (!pair || !yaml().isSeq(pair.value)) return 'tmpfs is not a list here: add /tmp to it yourself';
          const e = addItem(ctx, pair.value, '/tmp');
          if (!e) return 'tmpfs: this list layout is not rewritten';
          edits.push(e);
        } else lines.push('tmpfs: [/tmp]');
      }
      const e = addKeys(ctx, s.node, lines);
      return e ? [...edits, e] : `service "${s.name}": cannot place read_only`;
    }),
};

export const boundedRestart: Fixer<ComposeModel> = {
  rule: 'SC2016',
  kind: 'compose',
  what: '`restart: on-failure` → `on-failure:5`, and `max_attempts: 5` in a `deploy.restart_policy` whose condition is on-failure; `always` and `unless-stopped` also restart after a reboot, which on-failure does not: those are left to you',
  fix(ctx) {
    const out: FixResult = { edits: [], skipped: [] };
    for (const s of ctx.model.services) {
      if (s.node.flow) continue;
      // `restart:` (reported at its key)
      const rv = s.value.restart;
      const restartLine = s.has('restart') ? s.lineOf('restart') : -1;
      if (ctx.findingLines.has(restartLine)) {
        const restart = ownPair(s.node, 'restart');
        const r = nodeRange(restart?.value);
        if (rv === 'on-failure' && r)
          out.edits.push({ start: r[0], end: r[1], text: requote(ctx.text.slice(r[0], r[1]), 'on-failure:5', true) });
        else
          out.skipped.push({
            line: restartLine,
            reason:
              rv === 'on-failure'
                ? 'restart comes from a merged mapping (<<): change it there'
                : `restart: ${String(rv)} also restarts after a reboot or a clean exit, on-failure:5 would not: choose yourself`,
          });
      }
      // `deploy.restart_policy` (reported at restart_policy)
      const rpLine = s.has('deploy', 'restart_policy') ? s.lineOf('deploy', 'restart_policy') : -1;
      if (!ctx.findingLines.has(rpLine)) continue;
      const skip = (reason: string): void => void out.skipped.push({ line: rpLine, reason });
      const deploy = ownPair(s.node, 'deploy')?.value;
      const rp = yaml().isMap(deploy) ? ownPair(deploy, 'restart_policy')?.value : undefined;
      if (!yaml().isMap(rp)) {
        skip('restart_policy comes from a merged mapping (<<) or is not a mapping: change it yourself');
        continue;
      }
      const cond: unknown = rp.get('condition');
      if (cond !== 'on-failure') {
        skip(
          `restart_policy condition ${cond === undefined ? 'any (the default)' : JSON.stringify(cond)} restarts after clean exits too: bound it yourself`,
        );
        continue;
      }
      const max = ownPair(rp, 'max_attempts');
      const r = nodeRange(max?.value);
      if (max && r) out.edits.push({ start: r[0], end: r[1], text: '5' });
      else if (!max) {
        const e = addKeys(ctx, rp, ['max_attempts: 5']);
        if (e) out.edits.push(e);
        else skip('restart_policy is a flow mapping ({…}): not rewritten');
      } else skip('max_attempts has no value here: set it yourself');
    }
    return out;
  },
};

export const composeFixers: readonly Fixer<ComposeModel>[] = [
  capDropAll,
  noNewPrivileges,
  portLoopback,
  readOnlyRootfs,
  boundedRestart,
];

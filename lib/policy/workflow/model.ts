// The parsed view of a GitHub Actions workflow (.github/workflows/*.yml) every SC4xxx rule reads:
// the YAML document (one `yaml` parse with a LineCounter), its triggers, its top-level and per-job
// permissions, and every step and reusable-workflow call with a way to find the line of any path.
// Only structure is read: expressions (`${{ … }}`) are plain text to the rules.
import type { Document, Node } from 'yaml';
import { yaml } from '../../core/yaml.js';

export type Path = (string | number)[];

export interface WorkflowStep {
  job: string;
  /** 0-based index in the job's steps */
  index: number;
  value: Record<string, unknown>;
  /** `uses:` (trimmed), when the step runs an action */
  uses?: string;
  /** `run:`, when the step runs a script */
  run?: string;
  /** the step's `with:` inputs (empty when absent) */
  with: Record<string, unknown>;
  /** line of the step's list item */
  line: number;
  /** line of a path relative to the step */
  lineOf(...path: Path): number;
  /** what to call the step in messages: `job "build", step "name"` */
  label: string;
}

export interface WorkflowJob {
  id: string;
  value: Record<string, unknown>;
  /** job-level `uses:` (a reusable workflow call) */
  uses?: string;
  steps: WorkflowStep[];
  line: number;
  lineOf(...path: Path): number;
}

export interface WorkflowModel {
  path: string;
  value: Record<string, unknown>;
  /** the events of `on:` (a string, a list or a mapping) */
  triggers: Set<string>;
  jobs: WorkflowJob[];
  steps: WorkflowStep[];
  problems: { line: number; message: string }[];
  limits: { line: number; message: string }[];
  /** line of a path from the document root (the closest existing parent's otherwise; 1 at worst) */
  lineOf(...path: Path): number;
}

/** More steps than this in one file: the rest are not analysed (SC0004). */
export const MAX_STEPS = 5000;

export function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Per-mapping key index, built on first lookup: a lookup is O(1), not a scan (a hostile file may have 100k jobs). */
const pairIndex = new WeakMap<object, Map<unknown, unknown>>();

function child(node: unknown, key: string | number): unknown {
  if (yaml().isMap(node)) {
    let m = pairIndex.get(node);
    if (!m) {
      m = new Map();
      for (const it of node.items) {
        const k = yaml().isScalar(it.key) ? it.key.value : it.key;
        if (!m.has(k)) m.set(k, it);
      }
      pairIndex.set(node, m);
    }
    return m.get(key);
  }
  if (yaml().isSeq(node) && typeof key === 'number') return node.items[key];
  return undefined;
}

function lineIn(root: Node, path: Path, lineOfOffset: (o: number) => number, fallback: number): number {
  let cur: unknown = root;
  let line = fallback;
  for (const k of path) {
    const c = child(cur, k);
    if (c === undefined) return line;
    // a mapping entry (Pair): its key's line, then descend into its value
    if (c !== null && typeof c === 'object' && 'key' in c && 'value' in c) {
      const key = (c as { key: unknown }).key;
      if (yaml().isNode(key) && key.range) line = lineOfOffset(key.range[0]);
      cur = (c as { value: unknown }).value;
    } else {
      if (yaml().isNode(c) && c.range) line = lineOfOffset(c.range[0]);
      cur = c;
    }
  }
  return line;
}

/** Duplicate keys of every mapping (GitHub refuses a workflow with them). */
function duplicateKeys(doc: Document, lineOfOffset: (o: number) => number): { line: number; message: string }[] {
  const out: { line: number; message: string }[] = [];
  yaml().visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!yaml().isScalar(pair.key)) continue;
        const v = pair.key.value;
        if (seen.has(v))
          out.push({ line: pair.key.range ? lineOfOffset(pair.key.range[0]) : 1, message: 'Map keys must be unique' });
        else seen.add(v);
      }
    },
  });
  return out;
}

function triggersOf(on: unknown): Set<string> {
  if (typeof on === 'string') return new Set([on]);
  if (Array.isArray(on)) return new Set(on.filter((x): x is string => typeof x === 'string'));
  if (isRecord(on)) return new Set(Object.keys(on));
  return new Set();
}

export function buildWorkflowModel(text: string, path: string): WorkflowModel {
  const lc = new (yaml().LineCounter)();
  const lineOfOffset = (o: number): number => lc.linePos(o).line;
  const model: WorkflowModel = {
    path,
    value: {},
    triggers: new Set(),
    jobs: [],
    steps: [],
    problems: [],
    limits: [],
    lineOf: () => 1,
  };
  // `on` is a plain key in YAML 1.2 (the `yaml` default): not the boolean true of YAML 1.1
  const doc = yaml().parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const errs = doc.errors.map((e) => ({
    line: e.linePos?.[0]?.line ?? lineOfOffset(e.pos[0]),
    message: e.message.split('\n')[0],
  }));
  if (doc.contents !== null && errs.length === 0) errs.push(...duplicateKeys(doc, lineOfOffset));
  if (errs.length > 0) {
    model.problems.push(...errs);
    return model;
  }
  const root = doc.contents;
  if (!yaml().isMap(root)) return model;
  let value: unknown;
  try {
    value = root.toJS(doc, { maxAliasCount: 100 });
  } catch (e) {
    model.problems.push({ line: 1, message: (e as Error).message });
    return model;
  }
  if (!isRecord(value)) return model;
  model.value = value;
  model.lineOf = (...p) => lineIn(root, p, lineOfOffset, 1);
  model.triggers = triggersOf(value.on);
  const jobs = isRecord(value.jobs) ? value.jobs : {};
  for (const [id, j] of Object.entries(jobs)) {
    if (!isRecord(j)) continue;
    const jobLine = model.lineOf('jobs', id);
    const job: WorkflowJob = {
      id,
      value: j,
      ...(typeof j.uses === 'string' ? { uses: j.uses.trim() } : {}),
      steps: [],
      line: jobLine,
      lineOf: (...p) => lineIn(root, ['jobs', id, ...p], lineOfOffset, jobLine),
    };
    model.jobs.push(job);
    const steps = Array.isArray(j.steps) ? j.steps : [];
    steps.forEach((s, i) => {
      if (!isRecord(s)) return;
      if (model.steps.length >= MAX_STEPS) {
        if (model.limits.length === 0)
          model.limits.push({
            line: job.lineOf('steps', i),
            message: `more than ${MAX_STEPS} steps in one workflow: the rest are not analysed`,
          });
        return;
      }
      const line = job.lineOf('steps', i);
      // a step without a name or id is called by its position: "step 1" (its `uses:` is in the message)
      const name =
        typeof s.name === 'string'
          ? JSON.stringify(s.name)
          : typeof s.id === 'string'
            ? JSON.stringify(s.id)
            : `${i + 1}`;
      const step: WorkflowStep = {
        job: id,
        index: i,
        value: s,
        ...(typeof s.uses === 'string' ? { uses: s.uses.trim() } : {}),
        ...(typeof s.run === 'string' ? { run: s.run } : {}),
        with: isRecord(s.with) ? s.with : {},
        line,
        lineOf: (...p) => lineIn(root, ['jobs', id, 'steps', i, ...p], lineOfOffset, line),
        label: `job ${JSON.stringify(id)}, step ${name}`,
      };
      job.steps.push(step);
      model.steps.push(step);
    });
  }
  return model;
}

// ---- helpers shared by rules (rules take them from here, never from another rule) ----------

/** `owner/repo[/path]@ref` of a `uses:` (null for a local action `./…` or a `docker://` image). */
export function parseUses(uses: string): { action: string; ref: string | null } | null {
  if (uses.startsWith('./') || uses.startsWith('.\\') || uses.startsWith('docker://')) return null;
  const at = uses.lastIndexOf('@');
  return at < 0 ? { action: uses, ref: null } : { action: uses.slice(0, at), ref: uses.slice(at + 1) };
}

/** A full commit SHA (40 hex digits; 64 for SHA-256 repositories). */
export const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The `${{ … }}` expressions of a string, each with its inner text (linear scan). */
export function expressions(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    const start = s.indexOf('${{', i);
    if (start < 0) return out;
    const end = s.indexOf('}}', start + 3);
    if (end < 0) return out;
    out.push(s.slice(start + 3, end).trim());
    i = end + 2;
  }
}

/** Comments that may hold a suppression `directive` (a '#' and the directive on the line), one pass. */
export function* yamlComments(
  text: string,
  directive: string,
): Generator<{ line: number; text: string; own: boolean }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    if (hash < 0 || !lines[i].includes(directive)) continue;
    yield { line: i + 1, text: lines[i].slice(hash), own: lines[i].slice(0, hash).trim() !== '' };
  }
}

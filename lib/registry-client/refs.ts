// Where a Dockerfile or a compose file names a registry image, with exact source offsets, so a
// digest can be written in place without touching anything else (formatting, comments, quoting):
//   Dockerfile: the `# syntax=<image>` parser directive (BuildKit pulls and runs that image as the
//               Dockerfile frontend before any FROM: as much a part of the build as a base image),
//               FROM <image> (not a stage name, not $VARIABLE, not scratch) and COPY --from=<image>
//   compose:    services.<name>.image of a service that is not built here (no `build:`)
//   CI:         .gitlab-ci.yml jobs' `image:` / `image: {name:}` and `services:` entries, and in any CI
//               file (GitHub workflows too) the BuildKit image given to buildx (`driver-opt(s) image=`)
// dockerfile-ast gives the ranges of FROM images and --from values; the yaml package's nodes carry
// their source offsets. Files are data: a file that does not parse gives no occurrences.
import { Copy, DockerfileParser, From } from 'dockerfile-ast';
import { isMap, isScalar, isSeq, parseDocument, Scalar } from 'yaml';
import { syntaxDirective } from '../policy/dockerfile/model.js';
import { splitImageRef } from '../policy/image.js';

export interface ImageOccurrence {
  /** 1-based line of the reference */
  line: number;
  /** offsets into the text of the reference as written (quotes excluded) */
  start: number;
  end: number;
  /** the reference without its digest, e.g. "node:22-bookworm-slim" */
  ref: string;
  /** the digest written now, or null */
  digest: string | null;
  kind: 'syntax' | 'from' | 'copy-from' | 'compose' | 'ci';
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** A reference we can pin: names a tag, no variable, not scratch. */
function pinnable(ref: string): boolean {
  if (ref === '' || ref.includes('$') || ref.toLowerCase() === 'scratch' || /\s/.test(ref)) return false;
  return splitImageRef(ref).tag !== null;
}

function occurrence(
  text: string,
  start: number,
  end: number,
  line: number,
  kind: ImageOccurrence['kind'],
): ImageOccurrence | null {
  const written = text.slice(start, end);
  const at = written.indexOf('@');
  const ref = at >= 0 ? written.slice(0, at) : written;
  if (!pinnable(ref)) return null;
  return { line, start, end, ref, digest: at >= 0 ? written.slice(at + 1) : null, kind };
}

/** The `# syntax=` directive's image (the BuildKit frontend), or null when there is none. */
function syntaxImage(text: string, starts: readonly number[]): ImageOccurrence | null {
  const d = syntaxDirective(text);
  if (!d) return null;
  const lineStart = starts[d.line - 1] ?? 0;
  const eol = text.indexOf('\n', lineStart);
  const lineText = text.slice(lineStart, eol < 0 ? text.length : eol);
  // the value is the last thing on the directive line (syntaxDirective: `# syntax = <value>` and blanks)
  const at = lineText.lastIndexOf(d.ref);
  if (at < 0) return null;
  return occurrence(text, lineStart + at, lineStart + at + d.ref.length, d.line, 'syntax');
}

/** The syntax directive's image, FROM images and COPY --from images of a Dockerfile (stage names excluded). */
export function dockerfileImages(text: string): ImageOccurrence[] {
  const starts = lineStarts(text);
  const offset = (p: { line: number; character: number }): number => (starts[p.line] ?? text.length) + p.character;
  const doc = DockerfileParser.parse(text);
  const stages = new Set<string>();
  const out: ImageOccurrence[] = [];
  const syntax = syntaxImage(text, starts);
  if (syntax) out.push(syntax);
  for (const ins of doc.getInstructions()) {
    if (ins instanceof From) {
      const from = ins;
      const range = from.getImageRange();
      if (range && range.start.line === range.end.line) {
        const o = occurrence(text, offset(range.start), offset(range.end), range.start.line + 1, 'from');
        if (o && !stages.has(o.ref.toLowerCase())) out.push(o);
      }
      const stage = from.getBuildStage();
      if (stage) stages.add(stage.toLowerCase());
    } else if (ins instanceof Copy) {
      const flag = ins.getFromFlag();
      const range = flag?.getValueRange();
      const value = flag?.getValue() ?? '';
      // a stage name or index is not an image
      if (!range || stages.has(value.toLowerCase()) || /^\d+$/.test(value) || range.start.line !== range.end.line)
        continue;
      const o = occurrence(text, offset(range.start), offset(range.end), range.start.line + 1, 'copy-from');
      if (o) out.push(o);
    }
  }
  return out;
}

/** `image:` of each compose service that is not built from this repository. */
export function composeImages(text: string): ImageOccurrence[] {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) return [];
  const services = doc.get('services', true);
  if (!isMap(services)) return [];
  const lineOf = lineFinder(text);
  const out: ImageOccurrence[] = [];
  for (const pair of services.items) {
    const svc = pair.value;
    if (!isMap(svc) || svc.has('build')) continue;
    const o = scalarImage(text, svc.get('image', true), lineOf, 'compose');
    if (o) out.push(o);
  }
  return out;
}

/** A plain or quoted YAML scalar holding an image reference, as an occurrence (null: not one we can rewrite). */
function scalarImage(
  text: string,
  node: unknown,
  lineOf: (off: number) => number,
  kind: ImageOccurrence['kind'],
): ImageOccurrence | null {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return null;
  let [start, end] = node.range;
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
    start += 1;
    end -= 1;
  } else if (node.type !== Scalar.PLAIN) return null;
  // an escape inside quotes would make offsets and value differ: leave such a value alone
  if (text.slice(start, end) !== node.value) return null;
  return occurrence(text, start, end, lineOf(start), kind);
}

function lineFinder(text: string): (off: number) => number {
  const starts = lineStarts(text);
  return (off) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** `--driver-opt image=<ref>` / `driver-opts: image=<ref>`: the BuildKit image buildx runs (one line each). */
function buildkitImages(text: string, lineOf: (off: number) => number): ImageOccurrence[] {
  const out: ImageOccurrence[] = [];
  const re = /driver-opts?[:=]?[ \t]*["']?image=([^\s"',]+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length - m[1].length;
    const o = occurrence(text, start, start + m[1].length, lineOf(start), 'ci');
    if (o) out.push(o);
  }
  return out;
}

const GITLAB_GLOBAL = new Set(['variables', 'workflow', 'stages', 'include', 'spec']);

/** Jobs' `image:` and `services:` of a .gitlab-ci.yml (a job's or `default:`), plus the BuildKit image. */
export function gitlabImages(text: string): ImageOccurrence[] {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length || !isMap(doc.contents)) return [];
  const lineOf = lineFinder(text);
  const out: ImageOccurrence[] = [];
  const add = (o: ImageOccurrence | null): void => {
    if (o) out.push(o);
  };
  // `image: ref` or `image: { name: ref }`; the same two shapes for each `services:` entry
  const named = (node: unknown): void => {
    if (isMap(node)) add(scalarImage(text, node.get('name', true), lineOf, 'ci'));
    else add(scalarImage(text, node, lineOf, 'ci'));
  };
  for (const pair of doc.contents.items) {
    const job = pair.value;
    // global keywords hold no job (a variable named `image` is not an image reference)
    if (!isMap(job) || (isScalar(pair.key) && GITLAB_GLOBAL.has(String(pair.key.value)))) continue;
    named(job.get('image', true));
    const services = job.get('services', true);
    if (isSeq(services)) for (const s of services.items) named(s);
  }
  out.push(...buildkitImages(text, lineOf));
  return out.sort((a, b) => a.start - b.start);
}

/** The BuildKit image a GitHub workflow gives buildx (the actions themselves are pinned by commit SHA). */
export function workflowImages(text: string): ImageOccurrence[] {
  return buildkitImages(text, lineFinder(text));
}

/** The text with each occurrence's reference written as `ref@digest` (digests: ref -> digest). */
export function applyDigests(
  text: string,
  occurrences: readonly ImageOccurrence[],
  digests: Readonly<Record<string, string>>,
): string {
  let out = text;
  // from the end, so earlier offsets stay valid
  for (const o of [...occurrences].sort((a, b) => b.start - a.start)) {
    const d = digests[o.ref];
    if (!d) continue;
    out = `${out.slice(0, o.start)}${o.ref}@${d}${out.slice(o.end)}`;
  }
  return out;
}

/** Which kind of file a path is, for pinning. */
export function pinKind(path: string): 'dockerfile' | 'compose' | 'gitlab' | 'workflow' | null {
  const base = path.split('/').pop() ?? '';
  if (/^(Dockerfile|Containerfile)(\..+)?$/i.test(base) || /\.(dockerfile|containerfile)$/i.test(base))
    return 'dockerfile';
  if (/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/i.test(base)) return 'compose';
  if (base === '.gitlab-ci.yml') return 'gitlab';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'workflow';
  return null;
}

export function imagesIn(path: string, text: string): ImageOccurrence[] {
  switch (pinKind(path)) {
    case 'dockerfile':
      return dockerfileImages(text);
    case 'compose':
      return composeImages(text);
    case 'gitlab':
      return gitlabImages(text);
    case 'workflow':
      return workflowImages(text);
    default:
      return [];
  }
}

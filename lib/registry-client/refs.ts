// Where a Dockerfile or a compose file names a registry image, with exact source offsets, so a
// digest can be written in place without touching anything else (formatting, comments, quoting):
//   Dockerfile: FROM <image> (not a stage name, not $VARIABLE, not scratch) and COPY --from=<image>
//   compose:    services.<name>.image of a service that is not built here (no `build:`)
// dockerfile-ast gives the ranges of FROM images and --from values; the yaml package's nodes carry
// their source offsets. Files are data: a file that does not parse gives no occurrences.
import { Copy, DockerfileParser, From } from 'dockerfile-ast';
import { isMap, isScalar, parseDocument, Scalar } from 'yaml';
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
  kind: 'from' | 'copy-from' | 'compose';
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

/** FROM images and COPY --from images of a Dockerfile (stage names excluded). */
export function dockerfileImages(text: string): ImageOccurrence[] {
  const starts = lineStarts(text);
  const offset = (p: { line: number; character: number }): number => (starts[p.line] ?? text.length) + p.character;
  const doc = DockerfileParser.parse(text);
  const stages = new Set<string>();
  const out: ImageOccurrence[] = [];
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
  const starts = lineStarts(text);
  const lineOf = (off: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const out: ImageOccurrence[] = [];
  for (const pair of services.items) {
    const svc = pair.value;
    if (!isMap(svc) || svc.has('build')) continue;
    const img = svc.get('image', true);
    if (!isScalar(img) || typeof img.value !== 'string' || !img.range) continue;
    let [start, end] = img.range;
    if (img.type === Scalar.QUOTE_DOUBLE || img.type === Scalar.QUOTE_SINGLE) {
      start += 1;
      end -= 1;
      // an escape inside the quotes would make offsets and value differ: leave such a value alone
      if (text.slice(start, end) !== img.value) continue;
    } else if (img.type !== Scalar.PLAIN || text.slice(start, end) !== img.value) continue;
    const o = occurrence(text, start, end, lineOf(start), 'compose');
    if (o) out.push(o);
  }
  return out;
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
export function pinKind(path: string): 'dockerfile' | 'compose' | null {
  const base = path.split('/').pop() ?? '';
  if (/^(Dockerfile|Containerfile)(\..+)?$/i.test(base) || /\.(dockerfile|containerfile)$/i.test(base))
    return 'dockerfile';
  if (/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/i.test(base)) return 'compose';
  return null;
}

export function imagesIn(path: string, text: string): ImageOccurrence[] {
  const kind = pinKind(path);
  return kind === 'dockerfile' ? dockerfileImages(text) : kind === 'compose' ? composeImages(text) : [];
}

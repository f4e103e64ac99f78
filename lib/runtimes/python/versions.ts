// The Python versions this runtime can build, per flavour: the ONE list that the profile's
// `versions` (the base-image table the answers layer checks) and the detector (which picks the
// newest of them that a constraint allows, preferring one with a distroless image) both read.
// Distroless ships one Python per Debian release (3.11 in debian12, 3.13 in debian13); alpine has
// every maintained minor (test/detect/versions-agree.test.ts checks the image tables agree).
import type { Fact, Flavor } from '../../core/types.js';
import { fact, type Ctx } from '../../detect/model.js';
import {
  compareDotted,
  pythonMinorFor,
  pythonPinMinor,
  pythonSpecAllows,
  supportedVersions,
} from '../../detect/versions.js';

export const PYTHON_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  distroless: ['3.11', '3.13'],
  alpine: ['3.10', '3.11', '3.12', '3.13', '3.14'],
};

/** Every supported minor, oldest first. */
export const PYTHON_SUPPORTED: readonly string[] = supportedVersions(PYTHON_VERSIONS);
/** The minors with a distroless image: preferred when a constraint allows one (the default flavour). */
const DISTROLESS: readonly string[] = PYTHON_VERSIONS.distroless ?? [];

const LIST = PYTHON_SUPPORTED.join(', ');

/**
 * The Python version to build with, and why (issue 10 item 1):
 * - a pin (.python-version, runtime.txt: "3.12.4") is kept as it is, if the declared constraint allows it;
 * - a constraint (requires-python, Poetry `python`, Pipfile `python_version`) is a minimum or a
 *   range: the newest supported minor that satisfies it, preferring one with a distroless image
 *   (">=3.8" -> 3.13, not the alpine-only 3.14), so the default flavour fits;
 * - when no supported minor satisfies it, the minor it asks for with a note (the answers layer then
 *   refuses it, naming --runtime-version and the supported minors).
 */
export function pythonRuntimeVersion(
  ctx: Ctx,
  constraints: readonly { spec: string; source: string }[],
): Fact<string> | undefined {
  let pin: { minor: string; full: string; file: string } | undefined;
  for (const f of ['.python-version', 'runtime.txt']) {
    const t = ctx.read(f);
    if (t === undefined) continue;
    const v = pythonPinMinor(t);
    if (v) {
      pin = { ...v, file: f };
      break;
    }
    ctx.note(`${f}: "${t.trim().split(/\r?\n/)[0].slice(0, 40)}" is not a CPython 3.x version; ignored`);
  }
  const constraint = constraints.at(0);
  const pick = constraint ? pythonMinorFor(constraint.spec, PYTHON_SUPPORTED, DISTROLESS) : undefined;
  if (constraint && pick === undefined)
    ctx.note(`${constraint.source}: cannot be read as a version specifier; ignored`);
  if (constraint && pick && pick.satisfying.length === 0)
    ctx.note(
      `${constraint.source}: allows none of the supported Python versions (${LIST})` +
        (pick.version !== undefined ? `: it asks for Python ${pick.version}` : '') +
        `; pass --runtime-version with one of them if the app runs on it`,
    );
  if (pin) {
    const ok = !constraint || pythonSpecAllows(constraint.spec, pin.full.replace(/^[a-z-]+/i, '')) !== false;
    if (ok) {
      if (!PYTHON_SUPPORTED.includes(pin.minor))
        ctx.note(`${pin.file}: Python ${pin.full} is pinned but only ${LIST} are supported: pass --runtime-version`);
      return fact(pin.minor, `${pin.file}: ${pin.full}${constraint ? ` (satisfies ${constraint.spec})` : ''}`);
    }
  }
  const picked = pick?.version;
  if (constraint && pick && picked !== undefined) {
    const others = pick.satisfying.filter((v) => !DISTROLESS.includes(v) && compareDotted(v, picked) > 0);
    const why =
      pick.satisfying.length === 0
        ? `no supported Python satisfies it; supported: ${LIST}`
        : pick.satisfying.length === 1
          ? `the only supported Python that satisfies it${pick.preferred ? '' : `; alpine only: distroless has ${DISTROLESS.join(', ')}`}`
          : pick.preferred
            ? `a range: the newest supported Python with a distroless image that satisfies it` +
              (others.length > 0 ? `; ${others.join(', ')} only on alpine` : '')
            : `a range: the newest supported Python that satisfies it; alpine only: distroless has ${DISTROLESS.join(', ')}`;
    const pinNote = pin ? `; ${pin.file} ${pin.full} does not satisfy it` : '';
    return fact(picked, `${constraint.source} (${why})${pinNote}`);
  }
  if (pin) return fact(pin.minor, `${pin.file}: ${pin.full}`);
  return undefined;
}

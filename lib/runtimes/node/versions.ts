// The Node.js versions this runtime can build, per flavour: the ONE list that the profile's
// `versions` (the base-image table the answers layer checks) and the detector (which picks the
// newest of them that a constraint allows) both read. A major here must have a
// node:<major>-bookworm-slim / node:<major>-alpine<release> builder and, for distroless,
// gcr.io/distroless/nodejs<major>-debian12 (test/detect/versions-agree.test.ts checks).
import type { Fact, Flavor } from '../../core/types.js';
import { fact, type Ctx } from '../../detect/model.js';
import { nodeAlias, nodeMajorFor, nodePinMajor, npmRangeAllows, supportedVersions } from '../../detect/versions.js';

export const NODE_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  distroless: ['20', '22', '24'],
  alpine: ['20', '22', '24'],
};

/** Every supported major, oldest first. */
export const NODE_SUPPORTED: readonly string[] = supportedVersions(NODE_VERSIONS);

const LIST = NODE_SUPPORTED.join(', ');

/**
 * The Node version to build with, and why (issue 10 item 1):
 * - a pin (.nvmrc, .node-version, package.json volta.node: "20.11.1", "lts/iron") is kept as it is,
 *   if engines.node allows it;
 * - a moving alias ("lts/*", "node", "stable") is the newest supported (LTS) major, within engines.node;
 * - engines.node is a range: the newest supported major that satisfies it (">=12" -> 24);
 * - when no supported major satisfies the range, the major it asks for with a note (the answers
 *   layer then refuses it, naming --runtime-version and the supported majors).
 */
export function nodeRuntimeVersion(
  ctx: Ctx,
  engines: string | undefined,
  volta: string | undefined,
): Fact<string> | undefined {
  const pins: { file: string; text: string }[] = [];
  for (const f of ['.nvmrc', '.node-version']) {
    const t = ctx.read(f);
    if (t !== undefined) pins.push({ file: f, text: t });
  }
  if (volta !== undefined) pins.push({ file: 'package.json: volta.node', text: volta });
  let pin: { file: string; major: string; full: string } | undefined;
  let alias: { file: string; kind: 'lts' | 'latest'; full: string } | undefined;
  for (const p of pins) {
    const v = nodePinMajor(p.text);
    if (v) {
      pin = { file: p.file, ...v };
      break;
    }
    const a = nodeAlias(p.text);
    if (a) {
      alias = { file: p.file, ...a };
      break;
    }
    ctx.note(`${p.file}: "${p.text.trim().slice(0, 40)}" is not a Node version or nvm alias; ignored`);
  }
  const eng = engines !== undefined ? nodeMajorFor(engines, NODE_SUPPORTED) : undefined;
  const engText = engines !== undefined ? `engines.node "${engines.slice(0, 60)}"` : '';
  if (engines !== undefined && eng === undefined) ctx.note(`package.json: ${engText} is not a semver range; ignored`);
  if (eng !== undefined && eng.satisfying.length === 0)
    ctx.note(
      `package.json: ${engText} allows none of the supported Node versions (${LIST})` +
        (eng.version !== undefined ? `: it asks for Node ${eng.version}` : '') +
        `; pass --runtime-version with one of ${LIST} if the app runs on it`,
    );

  if (pin) {
    const ok = engines === undefined || npmRangeAllows(engines, pin.full) !== false;
    if (ok) {
      if (!NODE_SUPPORTED.includes(pin.major))
        ctx.note(`${pin.file}: Node ${pin.full} is pinned but only ${LIST} are supported: pass --runtime-version`);
      return fact(pin.major, `${pin.file}: ${pin.full}${engines !== undefined ? ` (satisfies ${engText})` : ''}`);
    }
  }
  if (alias) {
    const lines = NODE_SUPPORTED.filter((m) => alias.kind === 'latest' || Number(m) % 2 === 0).filter(
      (m) => eng === undefined || eng.satisfying.includes(m),
    );
    const v = lines.at(-1);
    if (v !== undefined)
      return fact(
        v,
        `${alias.file}: ${alias.full} (${alias.kind === 'lts' ? 'the newest LTS line' : 'the newest release'}: the newest supported${engines !== undefined ? ` that satisfies ${engText}` : ''}; supported: ${LIST})`,
      );
  }
  if (eng?.version !== undefined) {
    const why =
      eng.satisfying.length > 1
        ? `a range: the newest supported Node that satisfies it; supported: ${LIST}`
        : eng.satisfying.length === 1
          ? `the only supported Node that satisfies it; supported: ${LIST}`
          : `no supported Node satisfies it; supported: ${LIST}`;
    const pinNote = pin ? `; ${pin.file} ${pin.full} does not satisfy it` : '';
    return fact(eng.version, `package.json: ${engText} (${why})${pinNote}`);
  }
  if (pin) return fact(pin.major, `${pin.file}: ${pin.full}`);
  return undefined;
}

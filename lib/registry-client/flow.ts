// --pin-digests in the generation flow: rendering is pure and resolution is not, so the digests are
// settled before the real render. Render once unpinned, take every image the Dockerfile and compose
// file name (lib/registry-client/refs.ts, the same finder `pin` uses), reuse the digests recorded in
// .yo-rc.json, resolve the rest from the registry (through the --registry mirror: the reference as
// rendered is what is pulled), then generate(…, digests). Unreachable: one line, nothing written.
import { AnswerError, type Answers } from '../core/types.js';
import type { DigestMap } from '../core/registry.js';
import { buildFiles, type PresetInput, type RepoContext } from '../flow/generate.js';
import { profileFor } from '../runtimes/index.js';
import { RegistryError, resolveDigests, type RegistryClientOptions } from './index.js';
import { imagesIn } from './refs.js';
import { readDigests } from './state.js';

export interface DigestFlowOptions extends RegistryClientOptions {
  /** injected for tests: resolves references to digests */
  resolve?: (refs: readonly string[]) => Promise<Record<string, string>>;
  /** ignore the recorded digests (a refresh) */
  refresh?: boolean;
}

/** The registry images the generated files would name for these answers (unpinned, as rendered). */
export function generatedImageRefs(ctx: RepoContext, answers: Answers, preset?: PresetInput): string[] {
  const layout = profileFor(answers.runtime).layout(ctx.facts, answers, ctx.layoutHints(answers.runtime));
  const { files } = buildFiles({ ...answers, pinDigests: false }, layout, preset?.build ?? {});
  const refs = files.flatMap((f) => imagesIn(f.path, f.contents).map((o) => o.ref));
  return [...new Set(refs)].sort();
}

/**
 * The digests generate() needs: undefined unless --pin-digests. Recorded digests are reused (an
 * upgrade never moves a base silently); references not recorded yet are resolved now.
 */
export async function digestsFor(
  ctx: RepoContext,
  answers: Answers,
  preset?: PresetInput,
  opts: DigestFlowOptions = {},
): Promise<DigestMap | undefined> {
  if (answers.pinDigests !== true) return undefined;
  const refs = generatedImageRefs(ctx, answers, preset);
  const stored = opts.refresh ? {} : readDigests(ctx.yoRcText);
  const missing = refs.filter((r) => !stored[r]);
  let fresh: Record<string, string> = {};
  if (missing.length) {
    try {
      fresh = opts.resolve ? await opts.resolve(missing) : await resolveDigests(missing, opts);
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      throw new AnswerError(
        'pinDigests',
        '--pin-digests',
        `${e.message} (check the network or --registry, or generate without --pin-digests)`,
      );
    }
  }
  return Object.fromEntries(refs.map((r) => [r, stored[r] ?? fresh[r]]));
}

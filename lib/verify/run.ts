// `verify` as a function: inspect the image, scan its layers, smoke-run it, run the rules. Every
// engine call goes through the injected Runner (a fake one in unit tests).
import type { FailOn } from '../policy/config.js';
import type { Flavor, Severity } from '../core/types.js';
import type { Engine, Runner } from './engine.js';
import { scanImageArchive, DEFAULT_LIMITS, type ScanLimits } from './layers.js';
import { finalOf, inferFlavor, parseInspect } from './model.js';
import { verifyRules } from './rules/index.js';
import { smokeRun } from './smoke.js';
import type { ImageFacts, VerifyFinding, VerifyRule, VerifyThresholds } from './types.js';

export interface VerifyOptions {
  image: string;
  engine: Engine;
  flavor?: Flavor;
  thresholds: VerifyThresholds;
  allowPaths: string[];
  /** false: --no-run */
  run: boolean;
  /** seconds */
  timeout: number;
  stay: number;
  failOn: FailOn;
  limits?: ScanLimits;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface VerifyResult {
  image: string;
  engine: Engine;
  /** the image id the engine reported */
  id: string;
  facts: ImageFacts;
  findings: VerifyFinding[];
  failOn: FailOn;
  /** counts and whether a finding is at or above failOn */
  summary: { findings: number; error: number; warning: number; info: number; failOn: FailOn; failed: boolean };
  /** files in the final filesystem (undefined: not scanned) */
  files?: number;
}

/** The image is not in the engine's store (or the name is invalid): a usage error, exit 2. */
export class ImageNotFound extends Error {}

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };
const FAIL_RANK: Record<FailOn, number> = { info: 1, warning: 2, error: 3, none: 4 };

/** Run the rules over facts (the rule tables call this too). */
export function checkFacts(facts: ImageFacts, rules: VerifyRule[] = verifyRules): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  for (const r of rules)
    r.check(facts, (rep = {}) => {
      out.push({
        rule: r.meta.id,
        name: r.meta.name,
        principle: r.meta.principle,
        severity: r.meta.severity,
        message: rep.message ?? r.meta.message,
        fix: rep.fix ?? r.meta.fix,
        refs: [...r.meta.related],
      });
    });
  return out;
}

export function summarize(findings: VerifyFinding[], failOn: FailOn): VerifyResult['summary'] {
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  return {
    findings: findings.length,
    error: count('error'),
    warning: count('warning'),
    info: count('info'),
    failOn,
    failed: findings.some((f) => RANK[f.severity] >= FAIL_RANK[failOn]),
  };
}

export async function verifyImage(runner: Runner, o: VerifyOptions): Promise<VerifyResult> {
  const inspected = await runner.run(o.engine, ['image', 'inspect', o.image], { timeoutMs: 60_000 });
  if (inspected.code !== 0) {
    const why = inspected.stderr.trim().split('\n').pop() ?? '';
    throw new ImageNotFound(`${o.engine} image inspect ${o.image} failed${why ? `: ${why}` : ''}`);
  }
  let raw: unknown;
  try {
    raw = (JSON.parse(inspected.stdout) as unknown[])[0];
  } catch {
    throw new ImageNotFound(`${o.engine} image inspect ${o.image} printed no JSON`);
  }
  const config = parseInspect(raw);
  const rawId = (raw as { Id?: unknown } | undefined)?.Id;
  const id = typeof rawId === 'string' ? rawId : '';

  // the layers, streamed from `image save` (docker-archive under podman: Docker's own format)
  const saveArgs =
    o.engine === 'podman' ? ['image', 'save', '--format', 'docker-archive', o.image] : ['image', 'save', o.image];
  const saved = runner.stream(o.engine, saveArgs);
  const files = await scanImageArchive(saved.stdout, o.limits ?? DEFAULT_LIMITS);
  const done = await saved.done;
  if (done.code !== 0)
    files.incomplete.unshift(
      `${o.engine} image save failed: ${done.stderr.trim().split('\n').pop() ?? `exit ${done.code}`}`,
    );

  const facts: ImageFacts = {
    image: o.image,
    config,
    flavor: inferFlavor(config.labels, o.flavor),
    files,
    thresholds: o.thresholds,
    allowPaths: o.allowPaths,
  };
  if (o.run) {
    facts.smoke = await smokeRun(runner, o.engine, o.image, config, {
      timeout: o.timeout,
      stay: o.stay,
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
  }
  const findings = checkFacts(facts);
  return {
    image: o.image,
    engine: o.engine,
    id,
    facts,
    findings,
    failOn: o.failOn,
    summary: summarize(findings, o.failOn),
    files: finalOf(files).size,
  };
}

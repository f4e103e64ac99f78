// Vocabulary of `secure-container verify <image>`: what is known about a built image (its config from
// `<engine> image inspect`, the files of its layers from `<engine> image save`, the smoke run), the
// rules that read it (one a file under rules/, ids SC5xxx) and their valid/invalid case tables.
import type { Flavor, Severity } from '../core/types.js';
import type { Principle } from '../policy/types.js';

/** One entry of a layer's tar: a path (relative, no leading `./` or `/`), what it is, its size. */
export interface LayerEntry {
  path: string;
  type: 'file' | 'link' | 'symlink' | 'directory' | 'other';
  size: number;
  /** symlink or hard link target */
  linkname?: string;
  /**
   * The first bytes (capped) of the few files whose name alone does not decide whether they hold a
   * secret (a `.pem` may be a CA bundle, an `.npmrc` may hold no token): see secrets.ts.
   */
  head?: string;
}

/** What the layer scan found. */
export interface ImageFiles {
  /** the layers bottom-up (the manifest's order), each with its entries in tar order */
  layers: LayerEntry[][];
  /** why the listing may be incomplete (a layer that could not be read, a cap reached); empty when complete */
  incomplete: string[];
}

/** The parts of the image config the rules read (docker and podman put some in different places). */
export interface ImageConfig {
  /** Config.User as written ('' when unset) */
  user: string;
  /** Healthcheck.Test (undefined: none; ['NONE']: disabled) */
  healthcheck?: string[];
  labels: Record<string, string>;
  /** bytes, as the engine reports the image size */
  size: number;
  /** RootFS.Layers count */
  layers: number;
  /** Config.ExposedPorts keys (for the report) */
  exposed: string[];
}

/** Where the flavour that decides what the image may contain came from. */
export interface FlavorFact {
  value: Flavor;
  source: 'flag' | 'label';
  /** the label that said so */
  label?: string;
}

export interface SmokeResult {
  /** healthy: the health check passed; running: no health check, and it stayed up; failed: see message */
  outcome: 'healthy' | 'running' | 'failed';
  /** one line: why it failed (control characters escaped by the formatter) */
  message?: string;
  /** the user the container ran as */
  user: string;
  seconds: number;
}

/** Thresholds the size rules read (flags --max-size, --max-layers). */
export interface VerifyThresholds {
  /** megabytes (10^6 bytes) */
  maxSizeMb: number;
  maxLayers: number;
}

/** Everything the rules read. */
export interface ImageFacts {
  image: string;
  config: ImageConfig;
  flavor: FlavorFact | null;
  /** undefined: the layers were not scanned */
  files?: ImageFiles;
  /** undefined: not run (--no-run) */
  smoke?: SmokeResult;
  thresholds: VerifyThresholds;
  /** dockerignore-syntax patterns of files accepted in the image (--allow-path) */
  allowPaths: string[];
}

export interface VerifyRuleMeta {
  /** Stable id: SC5xxx. Never reused. */
  id: string;
  name: string;
  principle: Principle;
  severity: Severity;
  message: string;
  /** rationale */
  description: string;
  fix: string;
  /** checks of other tools and CIS recommendations about the same concern */
  related: string[];
}

export interface VerifyReport1 {
  message?: string;
  fix?: string;
}

export interface VerifyRule {
  meta: VerifyRuleMeta;
  check(facts: ImageFacts, report: (r?: VerifyReport1) => void): void;
}

/** A test image: the inspect JSON (partial, as docker or podman prints it) and the layer listings. */
export interface FakeImage {
  name: string;
  inspect: Record<string, unknown>;
  layers?: LayerEntry[][];
  incomplete?: string[];
  flavor?: Flavor;
  smoke?: SmokeResult;
  thresholds?: Partial<VerifyThresholds>;
  allowPaths?: string[];
}

export interface VerifyCases {
  valid: FakeImage[];
  /** each reports exactly `count` findings */
  invalid: (FakeImage & { count: number; match?: RegExp })[];
}

export interface VerifyRuleModule {
  rule: VerifyRule;
  cases: VerifyCases;
}

export interface VerifyFinding {
  rule: string;
  name: string;
  principle: string;
  severity: Severity;
  message: string;
  fix: string;
  refs: string[];
}

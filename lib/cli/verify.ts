// `secure-container verify <image>`: parse flags, pick the engine, verify, print. The work is in
// lib/verify/ (run.ts); this file only turns flags into options and results into exit codes.
import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FAIL_ON_VALUES, type FailOn } from '../policy/config.js';
import { FLAVORS, type Flavor } from '../core/types.js';
import { packagePath } from '../core/paths.js';
import { CLI_COMMAND, GENERATOR_VERSION } from '../core/version.js';
import { escapeControl } from '../text/escape.js';
import { ENGINES, chooseEngine, processRunner, type Engine, type Runner } from '../verify/engine.js';
import { FORMATS, formatJson, formatRuleList, formatSarif, formatText, type Format } from '../verify/format.js';
import { DEFAULT_THRESHOLDS } from '../verify/model.js';
import { ImageNotFound, verifyImage } from '../verify/run.js';
import { parseCommandArgs, UsageError } from './parse.js';
import type { Io } from './io.js';

export const VERIFY_HELP = `Usage: secure-container verify <image> [options]
       ${CLI_COMMAND} verify <image> [options]

Checks a built image (from the local store of docker or podman) for what a Dockerfile review cannot
see, then runs it once with least privilege:
  SC5001  the configured user is a numeric, non-zero uid (a name, empty or 0 is a finding)
  SC5002  no shell, SC5003 no package manager, where the flavour promises none
          (distroless, scratch: neither; alpine: no package manager; slim: not checked)
  SC5004  a HEALTHCHECK is configured
  SC5005  the OCI labels source, revision, version and created are set (not "unknown")
  SC5006  no file in any layer looks like a secret (the .dockerignore list: keys, .env, credentials)
  SC5007  size and SC5008 layer count under the thresholds (warnings)
  SC5009  the smoke run: run -d --read-only --cap-drop ALL --security-opt no-new-privileges
          --user <uid> --tmpfs /tmp --network none, then the health check must pass (or, without
          one, the container must stay running); the container is always removed
  SC5010  every layer could be scanned

Options:
  --engine <docker|podman>            the engine (default: docker if its daemon answers, else podman;
                                      podman reads CONTAINERS_CONF, CONTAINERS_STORAGE_CONF… as usual)
  --flavor <distroless|alpine|scratch|slim>
                                      what the final stage promises (default: inferred from the
                                      org.opencontainers.image.base.name label; unknown: SC5002/SC5003 skipped)
  --format <text|json|sarif>          output format (default: text)
  --output <file>                     write the report to a file instead of stdout
  --fail-on <error|warning|info|none>  lowest severity that makes the exit code 1 (default: error)
  --max-size <MB>                     SC5007 threshold in megabytes (default: ${DEFAULT_THRESHOLDS.maxSizeMb})
  --max-layers <n>                    SC5008 threshold (default: ${DEFAULT_THRESHOLDS.maxLayers})
  --allow-path <pattern>              accept a secret-looking file (.dockerignore syntax, path inside
                                      the image, e.g. app/test/fixtures); repeatable
  --no-run                            skip the smoke run (SC5009)
  --timeout <seconds>                 how long the smoke run waits for a healthy health check (default: 60)
  --stay <seconds>                    without a health check: how long it must stay running (default: 5)
  --dockerfile <path>                 the Dockerfile that built the image: the location of SARIF results
                                      (default: the image reference)
  --list-rules                        print the rules (text, or JSON with --format json)
  -h, --help                          show this help

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on (a failed smoke run
included); 2 usage error, or the image is not in the engine's store; 3 no working container engine
(neither docker nor podman answers, or the one --engine names does not).
`;

function usage(io: Io, msg: string): number {
  io.stderr(`secure-container verify: ${escapeControl(msg)}\n`);
  return 2;
}

function docsBaseUrl(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {
      repository?: string | { url?: string };
    };
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const m = repo ? /github\.com[/:]([^/]+\/[^/.]+)/.exec(repo) : null;
    return m ? `https://github.com/${m[1]}/blob/main/` : undefined;
  } catch {
    return undefined;
  }
}

/** A positive number flag, or a usage message. */
function positive(flag: string, v: string | undefined, dflt: number, integer = false): number | string {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    return `${flag}: "${v}" is not a positive ${integer ? 'whole number' : 'number'}`;
  return n;
}

export interface VerifyDeps {
  runner?: Runner;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function runVerify(argv: string[], io: Io, deps: VerifyDeps = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandArgs(
      argv,
      {
        engine: { type: 'string' },
        flavor: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        'fail-on': { type: 'string' },
        'max-size': { type: 'string' },
        'max-layers': { type: 'string' },
        'allow-path': { type: 'string', multiple: true },
        'no-run': { type: 'boolean' },
        timeout: { type: 'string' },
        stay: { type: 'string' },
        dockerfile: { type: 'string' },
        'list-rules': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      { positionals: true },
    );
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const s = (k: string): string | undefined => (typeof v[k] === 'string' ? v[k] : undefined);
  if (v['help'] === true) {
    io.stdout(VERIFY_HELP);
    return 0;
  }
  const format = (s('format') ?? 'text') as Format;
  if (!FORMATS.includes(format)) return usage(io, `--format: "${s('format')}" is not one of ${FORMATS.join(', ')}`);
  if (v['list-rules'] === true) {
    if (format === 'sarif') return usage(io, '--list-rules: --format must be text or json');
    io.stdout(formatRuleList(format));
    return 0;
  }
  const engine = s('engine');
  if (engine !== undefined && !(ENGINES as readonly string[]).includes(engine))
    return usage(io, `--engine: "${engine}" is not one of ${ENGINES.join(', ')}`);
  const flavor = s('flavor');
  if (flavor !== undefined && !(FLAVORS as readonly string[]).includes(flavor))
    return usage(io, `--flavor: "${flavor}" is not one of ${FLAVORS.join(', ')}`);
  const failOn = (s('fail-on') ?? 'error') as FailOn;
  if (!FAIL_ON_VALUES.includes(failOn))
    return usage(io, `--fail-on: "${s('fail-on')}" is not one of ${FAIL_ON_VALUES.join(', ')}`);
  const maxSize = positive('--max-size', s('max-size'), DEFAULT_THRESHOLDS.maxSizeMb);
  const maxLayers = positive('--max-layers', s('max-layers'), DEFAULT_THRESHOLDS.maxLayers, true);
  const timeout = positive('--timeout', s('timeout'), 60);
  const stay = positive('--stay', s('stay'), 5);
  for (const x of [maxSize, maxLayers, timeout, stay]) if (typeof x === 'string') return usage(io, x);
  const noRun = v['no-run'] === true;
  if (noRun && (s('timeout') !== undefined || s('stay') !== undefined))
    return usage(io, '--timeout and --stay apply to the smoke run: not with --no-run');
  const allowPaths = (v['allow-path'] as string[] | undefined) ?? [];
  if (allowPaths.some((p) => p.trim() === '' || p.trim().startsWith('!')))
    return usage(io, '--allow-path: a pattern must be a path or a glob, not empty and not starting with !');
  if (parsed.positionals.length !== 1)
    return usage(
      io,
      parsed.positionals.length === 0
        ? 'name the image to verify: secure-container verify <image>; see --help'
        : `one image at a time (got ${parsed.positionals.length}: ${parsed.positionals.join(', ')})`,
    );
  const image = parsed.positionals[0] ?? '';
  if (image.startsWith('-') || /\s/.test(image)) return usage(io, `"${image}" is not an image reference`);

  const runner = deps.runner ?? processRunner;
  const chosen = await chooseEngine(runner, engine as Engine | undefined);
  if ('error' in chosen) {
    io.stderr(`secure-container verify: ${escapeControl(chosen.error)}; install docker or podman, or pass --engine\n`);
    return 3;
  }
  let result;
  try {
    result = await verifyImage(runner, {
      image,
      engine: chosen.engine,
      ...(flavor ? { flavor: flavor as Flavor } : {}),
      thresholds: { maxSizeMb: maxSize as number, maxLayers: maxLayers as number },
      allowPaths,
      run: !noRun,
      timeout: timeout as number,
      stay: stay as number,
      failOn,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    });
  } catch (e) {
    if (e instanceof ImageNotFound) return usage(io, e.message);
    throw e;
  }
  if (!result.facts.flavor)
    io.stderr(
      'secure-container verify: note: the flavour is unknown (no --flavor, no org.opencontainers.image.base.name label): shells and package managers were not checked\n',
    );
  const base = docsBaseUrl();
  const dockerfile = s('dockerfile');
  const text =
    format === 'json'
      ? formatJson(result)
      : format === 'sarif'
        ? formatSarif(result, {
            version: GENERATOR_VERSION,
            ...(base ? { docsBaseUrl: base } : {}),
            ...(dockerfile ? { dockerfile } : {}),
          })
        : formatText(result);
  const output = s('output');
  if (output !== undefined) {
    try {
      writeFileSync(resolve(io.cwd, output), text);
    } catch (e) {
      return usage(io, `--output: ${(e as Error).message}`);
    }
  } else io.stdout(text);
  return result.summary.failed ? 1 : 0;
}

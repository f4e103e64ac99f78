// --preset <path|package> -> the pieces the answers layer and the renderers need.
// Loaded lazily: the preset loader pulls in ajv (~40 ms), which a run without a preset never needs.
import type { PresetInput } from '../flow/generate.js';
import type { Io } from './io.js';

/**
 * The preset of a run: `--preset` (the user's explicit choice) wins; else the one recorded in
 * .yo-rc.json, which comes from the repository and is loaded as untrusted (a plain file inside the
 * repository, or a package confirmed once with --trust-preset). Undefined when there is none.
 */
export async function loadRunPreset(
  given: string | undefined,
  recorded: string | undefined,
  root: string,
  opts: { trustPreset?: boolean; warn?: (message: string) => void } = {},
): Promise<PresetInput | undefined> {
  const explicit = given !== undefined && given !== '';
  const ref = explicit ? given : recorded;
  if (ref === undefined || ref === '') return undefined;
  const { loadPresetInput } = await import('../preset/bridge.js');
  return loadPresetInput(ref, root, {
    origin: explicit ? 'explicit' : 'recorded',
    trust: opts.trustPreset === true,
    ...(opts.warn ? { warn: opts.warn } : {}),
  });
}

export const PRESET_HELP = `Usage: secure-container preset new <package-name> [--dir <path>]
       secure-container preset test [path]

  new <name>     scaffold a preset package in ./<name> (or --dir): package.json, preset.yaml with
                 an example at each extension point, a file template, npm test, README.md
  test [path]    load and validate a preset (a file, or a package directory; default .), then
                 generate a sample app of every runtime x flavour with it and self-check each;
                 prints a table, exit 1 when any fails

Presets are documented in docs/presets.md (Extension points).
`;

/** `secure-container preset new|test`. Exit: 0 ok, 1 a sample failed (test), 2 usage or invalid input. */
export async function runPresetCli(argv: string[], io: Io): Promise<number> {
  const { escapeControl } = await import('../text/escape.js');
  const sub = argv.at(0);
  const rest = argv.slice(1);
  if (sub === undefined) {
    io.stderr(PRESET_HELP);
    return 2;
  }
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(PRESET_HELP);
    return 0;
  }
  const fail = (m: string): number => {
    io.stderr(`secure-container preset ${sub}: ${escapeControl(m)}\n`);
    return 2;
  };
  const nodePath = await import('node:path');
  if (sub === 'new') {
    const args = [...rest];
    let dir: string | undefined;
    const at = args.indexOf('--dir');
    if (at !== -1) {
      dir = args.at(at + 1);
      if (dir === undefined || dir.startsWith('-')) return fail('--dir needs a path');
      args.splice(at, 2);
    }
    if (args.length !== 1 || args[0].startsWith('-'))
      return fail('give exactly one package name, e.g. @acme/secure-container-preset');
    const { scaffoldPreset, scaffoldDir } = await import('../preset/scaffold.js');
    let files;
    try {
      files = scaffoldPreset(args[0]);
    } catch (e) {
      return fail((e as Error).message.replace(/^preset new: /, ''));
    }
    const target = nodePath.resolve(io.cwd, dir ?? scaffoldDir(args[0]));
    const { existsSync, mkdirSync, readdirSync } = await import('node:fs');
    if (existsSync(target) && readdirSync(target).length > 0)
      return fail(`${target} exists and is not empty: nothing written (choose another --dir)`);
    mkdirSync(target, { recursive: true });
    const { writeFilesInside } = await import('../fs/safe.js');
    writeFilesInside(target, files);
    io.stdout(
      `created ${target}:\n${files.map((f) => `  ${f.path}`).join('\n')}\nnext: cd ${target} && npm install && npm test\n`,
    );
    return 0;
  }
  if (sub === 'test') {
    if (rest.length > 1 || rest.some((a) => a.startsWith('-')))
      return fail('takes one optional path (a preset file or package directory)');
    const { presetFileOf } = await import('../preset/check.js');
    const ref = presetFileOf(nodePath.resolve(io.cwd, rest[0] ?? '.'));
    if (typeof ref !== 'string') return fail(ref.error);
    const { testPreset, renderPresetTest } = await import('../preset/check.js');
    const result = await testPreset(ref, io.cwd);
    io.stdout(renderPresetTest(result));
    return result.ok ? 0 : 1;
  }
  return fail(`unknown subcommand ${JSON.stringify(sub)}: allowed: new, test`);
}

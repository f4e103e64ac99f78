// Interactive `secure-container init`: runs the very same Yeoman generator through
// yeoman-environment (loaded only here, because it costs ~1.5 s of start-up that the
// non-interactive path must not pay).
import type { Io } from './io.js';
import { packagePath } from '../core/paths.js';
import { escapeControl } from '../text/escape.js';

/** Exit code of a run interrupted at a prompt (Ctrl-C): 128 + SIGINT, as a shell reports it. */
export const EXIT_INTERRUPTED = 130;

/** inquirer's error when the user presses Ctrl-C (or the terminal closes) during a prompt. */
export function isPromptAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError');
}

export async function runGeneratorInteractive(argv: string[], io: Io): Promise<number> {
  const { createEnv } = await import('yeoman-environment');
  const env = createEnv({ cwd: io.cwd });
  const path = packagePath('dist', 'generators', 'app', 'index.js');
  env.register(path, { namespace: 'secure-container:app' });
  // the generator reports how it ended through process.exitCode (130 after Ctrl-C, 0 when the
  // plan was declined), exactly as under `yo`
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await env.run(['secure-container:app', ...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (isPromptAbort(e)) {
      io.stderr('aborted\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr(`secure-container: ${escapeControl((e as Error).message)}\n`);
    // bad input or corrupt state: exit 2 (as the non-interactive path); the generator puts it on the error
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    return (e as Error).name === 'StateError' || (e as Error).name === 'AnswerError' ? 2 : 1;
  } finally {
    process.exitCode = before;
  }
}

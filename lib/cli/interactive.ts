// Interactive `secure-container init`: runs the very same Yeoman generator through
// yeoman-environment (loaded only here, because it costs ~1.5 s of start-up that the
// non-interactive path must not pay).
import type { Io } from './io.js';
import { packagePath } from '../core/paths.js';

export async function runGeneratorInteractive(argv: string[], io: Io): Promise<number> {
  const { createEnv } = await import('yeoman-environment');
  const env = createEnv({ cwd: io.cwd });
  const path = packagePath('dist', 'generators', 'app', 'index.js');
  env.register(path, { namespace: 'secure-container:app' });
  try {
    await env.run(['secure-container:app', ...argv]);
    return 0;
  } catch (e) {
    io.stderr(`secure-container: ${(e as Error).message}\n`);
    return 1;
  }
}

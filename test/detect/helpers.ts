// Shared test helpers for detection tests (not a test file itself).
import { fileURLToPath } from 'node:url';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectRepo, type DetectedFacts } from '../../lib/detect/index.js';

/** test/fixtures/detect, resolved from dist/test/detect at run time. */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/detect/', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function detectFixture(name: string): Promise<DetectedFacts> {
  return detectRepo(fixture(name));
}

/** Copy a fixture into a fresh temp dir (for files git would not keep: .env, node_modules, big files). */
export async function fixtureCopy(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `detect-${name}-`));
  await cp(fixture(name), dir, { recursive: true });
  return dir;
}

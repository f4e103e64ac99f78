// Helpers shared by core/generator tests: resolve answers from flags the way the bin does.
import { resolveAnswers, type RawAnswers } from '../../lib/core/answers/resolve.js';
import type { Answers, Facts, ProjectLayout, Runtime } from '../../lib/core/types.js';

export const LAYOUTS: Record<Runtime, ProjectLayout> = {
  node: { manifests: ['package.json', 'package-lock.json'], buildOutput: 'dist' },
  python: { manifests: ['requirements.txt'], requirements: 'requirements.txt' },
  go: { manifests: ['go.mod', 'go.sum'], goMain: './cmd/api' },
};

export const STARTS: Record<Runtime, string> = {
  node: 'node server.js',
  python: 'python -m gunicorn --bind 0.0.0.0:8000 app:app',
  go: '/app/demo',
};

export function answersFor(runtime: Runtime, cli: RawAnswers = {}, facts: Facts = {}): Answers {
  return resolveAnswers({
    facts: { runtime: { value: runtime, source: 'test' }, ...facts },
    layout: LAYOUTS[runtime],
    dirName: 'demo',
    cli: { name: 'demo', start: STARTS[runtime], ...cli },
  }).answers;
}

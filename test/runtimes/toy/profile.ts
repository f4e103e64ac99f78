// A toy runtime, defined entirely in this folder, to prove the plug-in claim of docs/contributing.md:
// a runtime is a profile (lib/runtimes/profile.ts) plus its templates, and nothing else changes.
// "toy" apps have a toy.json manifest ({"name": …, "main": …}) and ship one static binary that the
// build copies from bin/.
import { packagePath } from '../../../lib/core/paths.js';
import type { Answers, DockerfileSpec, ProjectLayout } from '../../../lib/core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../../lib/detect/model.js';
import { dnsLabel, isRecord, parseJson, str } from '../../../lib/detect/text.js';
import type { RuntimeProfile } from '../../../lib/runtimes/profile.js';

function detectToy(ctx: Ctx): { facts: DetectedFacts; entryFiles: string[] } {
  const facts: DetectedFacts = { packageManager: fact('toypm', 'toy.json') };
  let manifest: unknown;
  try {
    manifest = parseJson(ctx.read('toy.json') ?? '');
  } catch {
    ctx.note('toy.json: not valid JSON');
  }
  const name = isRecord(manifest) ? dnsLabel(str(manifest['name']) ?? '') : undefined;
  if (name) facts.name = fact(name, 'toy.json: name');
  const main = isRecord(manifest) ? str(manifest['main']) : undefined;
  if (main && /^[a-z][a-z0-9-]*$/.test(main)) facts.start = fact([`/app/${main}`], 'toy.json: main');
  return { facts, entryFiles: [] };
}

export const toy: RuntimeProfile = {
  runtime: 'toy',
  label: 'Toy',
  choiceHelp: 'Toy (toy.json), a prebuilt static binary',
  manifestNames: ['toy.json'],
  claim: (ctx) => (ctx.has('toy.json') ? { rank: 40, source: 'toy.json', detect: () => detectToy(ctx) } : undefined),
  code: { files: /\.toy$/, ports: [/\blisten\s+(\d{1,6})\b/g] },
  layout: (): ProjectLayout => ({ manifests: ['toy.json'] }),
  startExample: (name) => `"/app/${name}"`,
  templateDir: packagePath('test', 'runtimes', 'toy', 'templates'),
  secretsHelperPath: 'toy-secrets.txt',
  context: { sourceFiles: /\.toy$/, exceptions: [] },
  packageManagers: ['toypm'],
  defaultPackageManager: 'toypm',
  defaultVersion: '1',
  versions: { distroless: ['1'] },
  normalizeVersion(v) {
    if (!/^1(\.\d+)*$/.test(v.trim())) throw new Error('must be 1');
    return '1';
  },
  versionHelp: 'toy version 1',
  defaultPort: 7070,
  flavors: ['distroless'],
  images: () => ({ builder: 'busybox:1.36', final: 'gcr.io/distroless/static-debian12:nonroot' }),
  defaultUser: () => 65532,
  interpreter: () => null,
  entrypoint: (start) => start,
  checkStart: (start, a) => (start[0] === `/app/${a.name}` ? undefined : `must be /app/${a.name}`),
  defaultStart: (a) => [`/app/${a.name}`],
  healthcheck: (_flavor, port, path) => [`/app/probe`, `http://127.0.0.1:${port}${path}`],
  tmpfs: [],
  dockerfile(a: Answers): DockerfileSpec {
    return {
      builderImage: 'busybox:1.36',
      finalImage: 'gcr.io/distroless/static-debian12:nonroot',
      manifestFiles: ['toy.json'],
      installProd: 'true',
      installAll: null,
      build: `cp bin/${a.name} /out/${a.name} && cp bin/probe /out/probe`,
      artefacts: [
        { stage: 'build', from: `/out/${a.name}`, to: `/app/${a.name}` },
        { stage: 'build', from: '/out/probe', to: '/app/probe' },
      ],
      env: [['PORT', String(a.port)]],
      emptyStage: 'build',
      harden: null,
      extra: {},
    };
  },
  dockerignore: () => ['*.toycache'],
};

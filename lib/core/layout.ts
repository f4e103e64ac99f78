// Facts + answers -> ProjectLayout (which files the Dockerfile copies first, where the build
// writes). Pure; every path is re-validated because it came from the user's disk.
import type { Answers, Facts, ProjectLayout } from './types.js';

const SAFE_PATH = /^(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._][A-Za-z0-9._/-]*$/;
const safe = (p: string | undefined): string | undefined =>
  p && SAFE_PATH.test(p) && !p.startsWith('/') ? p.replace(/\/+$/, '') : undefined;

const NODE_LOCKS: Record<string, string[]> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock', '.yarnrc.yml'],
  bun: ['bun.lock', 'bun.lockb'],
};

export function layoutFromFacts(
  facts: Facts,
  a: Answers,
  extra: { hashes?: boolean; yarnBerry?: boolean } = {},
): ProjectLayout {
  const present = new Set(facts.lockfiles?.value ?? []);
  switch (a.runtime) {
    case 'node': {
      const locks = (NODE_LOCKS[a.packageManager] ?? []).filter((f) => present.has(f));
      const out = safe(facts.buildOutput?.value);
      return {
        manifests: ['package.json', ...locks],
        ...(out ? { buildOutput: out } : {}),
        ...(extra.yarnBerry ? { yarnBerry: true } : {}),
      };
    }
    case 'python': {
      const manifest = safe(facts.manifest?.value);
      switch (a.packageManager) {
        case 'poetry':
          return { manifests: ['pyproject.toml', ...(present.has('poetry.lock') ? ['poetry.lock'] : [])] };
        case 'uv':
          return { manifests: ['pyproject.toml', ...(present.has('uv.lock') ? ['uv.lock'] : [])] };
        case 'pipenv':
          return { manifests: ['Pipfile', ...(present.has('Pipfile.lock') ? ['Pipfile.lock'] : [])] };
        default:
          if (manifest && manifest.endsWith('.txt'))
            return { manifests: [manifest], requirements: manifest, ...(extra.hashes ? { hashes: true } : {}) };
          return { manifests: ['pyproject.toml'] };
      }
    }
    case 'go': {
      const main = facts.goMainPackage?.value;
      const goMain = main && /^\.(\/[A-Za-z0-9._-]+)*$/.test(main) && !main.includes('..') ? main : '.';
      return { manifests: ['go.mod', ...(present.has('go.sum') ? ['go.sum'] : [])], goMain };
    }
  }
}

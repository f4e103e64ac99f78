// Test helpers: a fake renderer over the fixture template sets and an in-memory project tree.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answers, GeneratedFile } from '../../lib/core/types.js';
import { planUpgradeWrites, type UpgradePlan } from '../../lib/upgrade/plan.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/upgrade/', import.meta.url));

export const ANSWERS: Answers = {
  runtime: 'node',
  runtimeVersion: '22',
  packageManager: 'npm',
  name: 'shop-api',
  port: 3000,
  start: ['node', 'dist/server.js'],
  build: ['npm', 'run', 'build'],
  dataDirs: [],
  flavor: 'distroless',
  uid: 10001,
  gid: 10001,
  healthPath: '/healthz',
  buildSecrets: [],
  registry: '',
  secrets: [],
  secretProvider: 'file',
  vaultAddr: '',
  vaultMount: '',
  vaultPaths: {},
  awsRegion: '',
  awsSecretIds: {},
  services: [],
  bind: '127.0.0.1',
  secretsHelper: false,
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Render fixture template set `version` (v0.1.0 / v0.2.0) with the answers. */
export function render(version: string, answers: Answers = ANSWERS): GeneratedFile[] {
  const dir = join(FIXTURES, `v${version}`);
  return walk(dir)
    .map((abs) => {
      const path = relative(dir, abs).split('\\').join('/');
      const text = readFileSync(abs, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, k: string) =>
        k === 'version' ? version : String((answers as unknown as Record<string, unknown>)[k]),
      );
      return { path, contents: text };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** A project tree in memory. */
export class MemFs {
  readonly files = new Map<string, string>();
  constructor(init: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(init)) this.files.set(k, v);
  }
  read = (path: string): string | undefined => this.files.get(path);
  apply(plan: UpgradePlan): number {
    const { writes, deletes } = planUpgradeWrites(plan);
    for (const w of writes) this.files.set(w.path, w.contents);
    for (const d of deletes) this.files.delete(d);
    return writes.length + deletes.length;
  }
  edit(path: string, f: (s: string) => string): void {
    const cur = this.files.get(path);
    if (cur === undefined) throw new Error(`no ${path}`);
    const next = f(cur);
    if (next === cur) throw new Error(`edit of ${path} changed nothing`);
    this.files.set(path, next);
  }
}

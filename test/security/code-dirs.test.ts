// Code in a package named like a secrets folder (Go's vendored google.golang.org/grpc/credentials,
// an app's internal/credentials) is re-included in the build context by its plain path, found in
// the repository; a folder that also holds anything else stays excluded (and is warned about).
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import balenaDockerignore from '@balena/dockerignore';
import { runInit } from '../../lib/cli/init.js';
import { codeOnlySecretDirs } from '../../lib/policy/context.js';

const listing = (files: string[]) => ({ files, pruned: [], truncated: false });

describe('codeOnlySecretDirs', () => {
  it('proposes directories whose files are all source files of the runtime', () => {
    expect(
      codeOnlySecretDirs(
        listing([
          'vendor/google.golang.org/grpc/credentials/credentials.go',
          'vendor/google.golang.org/grpc/credentials/tls.go',
          'internal/secrets/db.go',
          'config/credentials/token.json',
          'pkg/credentials/a.go',
          'pkg/credentials/server.key',
          'main.go',
        ]),
        'go',
      ),
    ).toEqual(['internal/secrets', 'vendor/google.golang.org/grpc/credentials']);
  });

  it('never proposes a path with characters that mean something to .dockerignore', () => {
    expect(codeOnlySecretDirs(listing(['a b/credentials/x.go', 'x*/secrets/y.go', 'ok/secrets/z.go']), 'go')).toEqual([
      'ok/secrets',
    ]);
  });

  it('is per runtime: a .py file is not Go code', () => {
    expect(codeOnlySecretDirs(listing(['app/credentials/x.py']), 'go')).toEqual([]);
    expect(codeOnlySecretDirs(listing(['app/credentials/x.py']), 'python')).toEqual(['app/credentials']);
  });
});

describe('through init', () => {
  function repo(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'sc-codedirs-'));
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
    return dir;
  }
  const GO = {
    'go.mod': 'module example.com/vg\n\ngo 1.23\n',
    'main.go': 'package main\nimport "net/http"\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n',
  };

  it('a vendored credentials package is in the build context, with no warning', async () => {
    const dir = repo({ ...GO, 'vendor/google.golang.org/grpc/credentials/credentials.go': 'package credentials\n' });
    try {
      const out: string[] = [];
      const code = await runInit(['--yes'], { cwd: dir, stdout: (s) => out.push(s), stderr: (s) => out.push(s) });
      expect(code).toBe(0);
      expect(out.join('')).not.toMatch(/SC010\d/);
      const text = readFileSync(join(dir, '.dockerignore'), 'utf8');
      expect(text).toMatch(/^!vendor\/google\.golang\.org\/grpc\/credentials$/m);
      const ig = balenaDockerignore.default({ ignorecase: false }).add(text.split('\n'));
      expect(ig.ignores('vendor/google.golang.org/grpc/credentials/credentials.go')).toBe(false);
      expect(ig.ignores('config/credentials')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a secrets folder with code and a secret stays excluded, and the code is warned about', async () => {
    const dir = repo({ ...GO, 'secrets/s.go': 'package secrets\n', 'secrets/db_password': 'x' });
    try {
      const out: string[] = [];
      const code = await runInit(['--yes'], { cwd: dir, stdout: (s) => out.push(s), stderr: (s) => out.push(s) });
      expect(code).toBe(0);
      expect(out.join('')).toMatch(/SC0104 secrets\/s\.go/);
      expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).not.toMatch(/^!secrets$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

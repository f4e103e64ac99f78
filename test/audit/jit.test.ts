// The batch JIT setting: applied around a batch audit only, restored after it, never when the user
// chose the flag or opted out. V8 flags cannot be read back, so what is checked is which flag a batch
// gets (batchJitFlags), that the audit gives the same result, and that nesting and failures unwind.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AUDIT_INLINING_FLAG,
  BATCH_INTERRUPT_BUDGET,
  batchJitFlags,
  JIT_ENV,
  JIT_MAX_FILES,
  JIT_MIN_FILES,
  wantsAuditProcessJit,
  withBatchJit,
} from '../../lib/audit/jit.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(repo, pkg.bin['secure-container']);

describe('batchJitFlags', () => {
  it('a larger interrupt budget from JIT_MIN_FILES to JIT_MAX_FILES files, restored to V8’s default', () => {
    expect(batchJitFlags(JIT_MIN_FILES, {})).toEqual({
      set: `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`,
      restore: '--interrupt-budget=67584',
    });
    expect(batchJitFlags(JIT_MAX_FILES, {})?.set).toMatch(/^--interrupt-budget=/);
    // above: V8's default, and no other flag (changing the inlining limit at run time crashed V8)
    expect(batchJitFlags(JIT_MAX_FILES + 1, {})).toBeNull();
  });

  it('none for a handful of files, with SECURE_CONTAINER_AUDIT_JIT=default, or when the user set a budget', () => {
    expect(batchJitFlags(JIT_MIN_FILES - 1, {})).toBeNull();
    expect(batchJitFlags(1000, { [JIT_ENV]: 'default' })).toBeNull();
    expect(batchJitFlags(1000, { NODE_OPTIONS: '--interrupt-budget=1000' })).toBeNull();
    expect(batchJitFlags(1000, { NODE_OPTIONS: '--max-old-space-size=512' })).not.toBeNull();
  });
});

describe('withBatchJit', () => {
  it('returns what the audit returns, nested or not, and unwinds on failure', async () => {
    expect(await withBatchJit(JIT_MIN_FILES, () => withBatchJit(1000, () => 42))).toBe(42);
    expect(await withBatchJit(10_000, () => withBatchJit(1000, () => 43))).toBe(43);
    await expect(withBatchJit(1000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withBatchJit(10_000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withBatchJit(1000, () => 'again')).toBe('again');
  });

  it('leaves V8 alone for small and large batches, with SECURE_CONTAINER_AUDIT_JIT=default, or when NODE_OPTIONS sets a budget', async () => {
    expect(await withBatchJit(1, () => 1)).toBe(1);
    expect(await withBatchJit(JIT_MAX_FILES + 1, () => 4)).toBe(4);
    expect(await withBatchJit(1000, () => 2, { [JIT_ENV]: 'default' })).toBe(2);
    expect(await withBatchJit(1000, () => 3, { NODE_OPTIONS: '--interrupt-budget=1000' })).toBe(3);
  });
});

describe('the audit process inlining limit (set by the bin before the audit loads)', () => {
  it('is lowered unless the user opted out or chose a limit', () => {
    expect(AUDIT_INLINING_FLAG).toMatch(/^--max-inlined-bytecode-size=\d+$/);
    expect(wantsAuditProcessJit({}, [])).toBe(true);
    expect(wantsAuditProcessJit({ NODE_OPTIONS: '--max-old-space-size=512' }, [])).toBe(true);
    expect(wantsAuditProcessJit({ [JIT_ENV]: 'default' }, [])).toBe(false);
    expect(wantsAuditProcessJit({ NODE_OPTIONS: '--max-inlined-bytecode-size=300' }, [])).toBe(false);
    expect(wantsAuditProcessJit({}, ['--max_inlined_bytecode_size=300'])).toBe(false);
  });

  it('the package bin sets it before any code is optimized: V8 traces no optimization before the audit', () => {
    // --trace-opt prints a line for every function V8 marks or compiles for TurboFan; an audit of one
    // Dockerfile optimizes nothing, so nothing can be compiling when the bin changes the flag
    const dir = mkdtempSync(join(tmpdir(), 'sc-jit-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nUSER node\nCMD ["node", "server.js"]\n');
      const r = spawnSync(process.execPath, ['--trace-opt', bin, 'audit', '.', '--format', 'json'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(r.status).toBe(0); // warnings only
      expect(r.stdout).toContain('"version": 1');
      expect(r.stdout).not.toMatch(/\[(?:marking|compiling method|completed optimizing)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

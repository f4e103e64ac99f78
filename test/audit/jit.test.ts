// The batch JIT setting: applied around a batch audit only, restored after it, never when the user
// chose the flag or opted out. V8 flags cannot be read back, so what is checked is which flag a batch
// gets (batchJitFlags), that the audit gives the same result, and that nesting and failures unwind.
import { describe, expect, it } from '@jest/globals';
import {
  BATCH_INTERRUPT_BUDGET,
  BATCH_MAX_INLINED_BYTECODE,
  batchJitFlags,
  JIT_ENV,
  JIT_MAX_FILES,
  JIT_MIN_FILES,
  withBatchJit,
} from '../../lib/audit/jit.js';

describe('batchJitFlags', () => {
  it('a larger interrupt budget up to JIT_MAX_FILES files, a smaller inlining limit above, each restored to V8’s default', () => {
    expect(batchJitFlags(JIT_MIN_FILES, {})).toEqual({
      set: `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`,
      restore: '--interrupt-budget=67584',
    });
    expect(batchJitFlags(JIT_MAX_FILES, {})?.set).toMatch(/^--interrupt-budget=/);
    expect(batchJitFlags(JIT_MAX_FILES + 1, {})).toEqual({
      set: `--max-inlined-bytecode-size=${BATCH_MAX_INLINED_BYTECODE}`,
      restore: '--max-inlined-bytecode-size=460',
    });
  });

  it('none for a handful of files, with SECURE_CONTAINER_AUDIT_JIT=default, or when the user set the flag', () => {
    expect(batchJitFlags(JIT_MIN_FILES - 1, {})).toBeNull();
    expect(batchJitFlags(1000, { [JIT_ENV]: 'default' })).toBeNull();
    expect(batchJitFlags(10_000, { [JIT_ENV]: 'default' })).toBeNull();
    expect(batchJitFlags(1000, { NODE_OPTIONS: '--interrupt-budget=1000' })).toBeNull();
    expect(batchJitFlags(10_000, { NODE_OPTIONS: '--max-inlined-bytecode-size=200' })).toBeNull();
    expect(batchJitFlags(10_000, { NODE_OPTIONS: '--no-turbo-inlining' })).toBeNull();
    // a budget of the user's own does not stop the inlining limit, and the other way round
    expect(batchJitFlags(10_000, { NODE_OPTIONS: '--interrupt-budget=1000' })).not.toBeNull();
    expect(batchJitFlags(1000, { NODE_OPTIONS: '--max-inlined-bytecode-size=200' })).not.toBeNull();
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

  it('leaves V8 alone for small batches, with SECURE_CONTAINER_AUDIT_JIT=default, or when NODE_OPTIONS sets the flag', async () => {
    expect(await withBatchJit(1, () => 1)).toBe(1);
    expect(await withBatchJit(JIT_MAX_FILES + 1, () => 4)).toBe(4);
    expect(await withBatchJit(1000, () => 2, { [JIT_ENV]: 'default' })).toBe(2);
    expect(await withBatchJit(1000, () => 3, { NODE_OPTIONS: '--interrupt-budget=1000' })).toBe(3);
  });
});

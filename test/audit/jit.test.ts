// The batch JIT setting: applied around a batch audit only, restored after it, never when the user
// chose a budget or opted out. V8 flags cannot be read back, so what is checked is that the audit
// gives the same result and that nesting and failures unwind.
import { describe, expect, it } from '@jest/globals';
import { JIT_ENV, JIT_MAX_FILES, JIT_MIN_FILES, withBatchJit } from '../../lib/audit/jit.js';

describe('withBatchJit', () => {
  it('returns what the audit returns, nested or not, and unwinds on failure', async () => {
    expect(await withBatchJit(JIT_MIN_FILES, () => withBatchJit(1000, () => 42))).toBe(42);
    await expect(withBatchJit(1000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withBatchJit(1000, () => 'again')).toBe('again');
  });

  it('leaves V8 alone for small and very large batches, with SECURE_CONTAINER_AUDIT_JIT=default, or when NODE_OPTIONS sets a budget', async () => {
    expect(await withBatchJit(1, () => 1)).toBe(1);
    expect(await withBatchJit(JIT_MAX_FILES + 1, () => 4)).toBe(4);
    expect(await withBatchJit(1000, () => 2, { [JIT_ENV]: 'default' })).toBe(2);
    expect(await withBatchJit(1000, () => 3, { NODE_OPTIONS: '--interrupt-budget=1000' })).toBe(3);
  });
});

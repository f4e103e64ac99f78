// The report written to a stream a file at a time, waiting for `drain` (issue 12 item 5: memory
// flat on batches): the same bytes as the one-string report, and a reader that goes away stops it.
import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { runAudit, type ReportStream } from '../../lib/audit/cli.js';
import { tempRepo } from './helpers.js';

/** A stream whose buffer is "full" after every write; it drains on the next tick (or fails). */
class SlowStream extends EventEmitter implements ReportStream {
  chunks: string[] = [];
  waits = 0;
  failAfter = Infinity;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    if (this.chunks.length >= this.failAfter) {
      setImmediate(() => this.emit('error', new Error('EPIPE')));
      return false;
    }
    this.waits++;
    setImmediate(() => this.emit('drain'));
    return false;
  }
}

const files: Record<string, string> = {};
for (let i = 0; i < 800; i++)
  files[`s${i}/Dockerfile`] = `FROM node:22\nRUN apt-get update && apt-get install -y curl\n`;
files['compose.yaml'] = 'services:\n  db:\n    image: postgres:16\n';

async function both(args: string[]): Promise<{ plain: string; streamed: string; stream: SlowStream }> {
  const dir = tempRepo(files);
  let plain = '';
  await runAudit(args, { cwd: dir, stdout: (s) => (plain += s), stderr: () => undefined });
  const stream = new SlowStream();
  let direct = '';
  await runAudit(args, { cwd: dir, stdout: (s) => (direct += s), stderr: () => undefined, stdoutStream: stream });
  return { plain, streamed: direct + stream.chunks.join(''), stream };
}

describe('report written to a stream', () => {
  it('JSON: the same bytes, in pieces of 64 KiB, waiting for drain', async () => {
    const { plain, streamed, stream } = await both(['--format', 'json', '--fail-on', 'none']);
    expect(streamed).toBe(plain);
    // gathered into pieces of about 64 KiB, each write waiting for the reader
    expect(stream.chunks.length).toBeGreaterThan(3);
    expect(stream.chunks.slice(0, -1).every((c) => c.length >= 64 * 1024 && c.length < 80 * 1024)).toBe(true);
    expect(stream.waits).toBe(stream.chunks.length);
  });

  it('text: the same bytes', async () => {
    const { plain, streamed, stream } = await both(['--fail-on', 'none']);
    expect(streamed).toBe(plain);
    expect(stream.chunks.length).toBeGreaterThan(1);
  });

  it('stops when the reader goes away, with the exit code of the audit', async () => {
    const dir = tempRepo(files);
    const stream = new SlowStream();
    stream.failAfter = 1;
    const code = await runAudit(['--format', 'json'], {
      cwd: dir,
      stdout: () => undefined,
      stderr: () => undefined,
      stdoutStream: stream,
    });
    expect(stream.chunks.length).toBe(1);
    expect(code).toBe(1);
  });
});

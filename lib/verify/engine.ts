// The container engine behind `verify`: docker or podman, run as a child process with the caller's
// environment (podman reads CONTAINERS_CONF, CONTAINERS_STORAGE_CONF… from it; docker DOCKER_HOST).
// Injected as a Runner so unit tests use a fake engine.
import { spawn } from 'node:child_process';

export const ENGINES = ['docker', 'podman'] as const;
export type Engine = (typeof ENGINES)[number];

export interface RunOutput {
  /** exit code; 127 when the program could not be started */
  code: number;
  stdout: string;
  stderr: string;
}

export interface Runner {
  /** run `<engine> args…` to completion (stdout capped at 64 MiB) */
  run(engine: Engine, args: string[], opts?: { timeoutMs?: number }): Promise<RunOutput>;
  /** run `<engine> args…` and hand its stdout over as a stream (image save) */
  stream(engine: Engine, args: string[]): { stdout: AsyncIterable<Uint8Array>; done: Promise<RunOutput> };
}

const MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

/** The real engine: spawn, no shell. */
export const processRunner: Runner = {
  run(engine, args, opts = {}) {
    return new Promise((resolve) => {
      const child = spawn(engine, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let outLen = 0;
      let err = '';
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            child.kill('SIGKILL');
          }, opts.timeoutMs)
        : undefined;
      child.stdout.on('data', (c: Buffer) => {
        if (outLen < MAX_OUTPUT) out.push(c);
        outLen += c.length;
      });
      child.stderr.on('data', (c: Buffer) => {
        if (err.length < MAX_STDERR) err += c.toString('utf8');
      });
      child.on('error', (e) => {
        if (timer) clearTimeout(timer);
        resolve({ code: 127, stdout: '', stderr: e.message });
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({
          code: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: err + (signal === 'SIGKILL' && opts.timeoutMs ? `\n(killed after ${opts.timeoutMs} ms)` : ''),
        });
      });
    });
  },
  stream(engine, args) {
    const child = spawn(engine, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < MAX_STDERR) err += c.toString('utf8');
    });
    const done = new Promise<RunOutput>((resolve) => {
      child.on('error', (e) => {
        resolve({ code: 127, stdout: '', stderr: e.message });
      });
      child.on('close', (code, signal) => {
        resolve({ code: code ?? (signal ? 128 : 1), stdout: '', stderr: err });
      });
    });
    // the reader may stop early (a cap): then the engine is stopped too
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for await (const c of child.stdout) yield c as Buffer;
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM');
      }
    }
    return { stdout: chunks(), done };
  },
};

/** Is this engine installed and able to talk to its daemon/store? */
export async function engineWorks(runner: Runner, engine: Engine): Promise<RunOutput> {
  return runner.run(engine, ['version', '--format', engine === 'docker' ? '{{.Server.Version}}' : '{{.Version}}'], {
    timeoutMs: 30_000,
  });
}

export type EngineChoice = { engine: Engine } | { error: string };

/**
 * --engine when given (it must work), else the first of docker, podman that answers `version`
 * (docker first: an image built with `docker build` lives in Docker's store; a docker CLI without a
 * daemon does not answer, and podman is tried next).
 */
export async function chooseEngine(runner: Runner, wanted?: Engine): Promise<EngineChoice> {
  const tried: string[] = [];
  for (const engine of wanted ? [wanted] : ENGINES) {
    const r = await engineWorks(runner, engine);
    if (r.code === 0) return { engine };
    const why =
      r.code === 127 ? 'not installed' : (r.stderr.trim().split('\n').pop() ?? '').slice(0, 200) || `exit ${r.code}`;
    tried.push(`${engine}: ${why}`);
  }
  return { error: `no working container engine (${tried.join('; ')})` };
}

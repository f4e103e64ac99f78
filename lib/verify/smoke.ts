// The smoke run: start the image the way the generated compose file and Kubernetes manifests run it
// (read-only root, every capability dropped, no-new-privileges, a numeric non-root user, a tmpfs
// for /tmp, no network) and wait for its health check. The container is always removed.
import { randomBytes } from 'node:crypto';
import type { Engine, Runner } from './engine.js';
import type { ImageConfig, SmokeResult } from './types.js';

export interface SmokeOptions {
  /** seconds to wait for a healthy health check (default 60) */
  timeout: number;
  /** seconds an image without a health check must stay running (default 5) */
  stay: number;
  /** injected for tests */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** container name (default secure-container-verify-<random>) */
  name?: string;
}

/** The user to run as: the image's own when it is numeric and non-root, else 65532 (distroless nonroot). */
export function smokeUser(user: string): string {
  return /^[1-9]\d*(?::\d+)?$/.test(user) ? user : '65532:65532';
}

/** The `run` arguments (exported for the docs and tests). */
export function runArgs(name: string, user: string, image: string): string[] {
  return [
    'run',
    '-d',
    '--name',
    name,
    '--read-only',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--user',
    user,
    '--tmpfs',
    '/tmp',
    '--network',
    'none',
    image,
  ];
}

interface State {
  Running?: boolean;
  Status?: string;
  ExitCode?: number;
  Health?: { Status?: string };
  Healthcheck?: { Status?: string };
}

const lastLine = (s: string): string => s.trim().split('\n').pop()?.slice(0, 300) ?? '';

export async function smokeRun(
  runner: Runner,
  engine: Engine,
  image: string,
  config: ImageConfig,
  o: SmokeOptions,
): Promise<SmokeResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const name = o.name ?? `secure-container-verify-${randomBytes(6).toString('hex')}`;
  const user = smokeUser(config.user);
  const start = now();
  const seconds = (): number => Math.round((now() - start) / 100) / 10;
  const hasHealthcheck = config.healthcheck !== undefined && config.healthcheck[0] !== 'NONE';
  const failed = (message: string): SmokeResult => ({ outcome: 'failed', message, user, seconds: seconds() });
  try {
    const started = await runner.run(engine, runArgs(name, user, image), { timeoutMs: 120_000 });
    if (started.code !== 0)
      return failed(`the container did not start: ${lastLine(started.stderr) || `exit ${started.code}`}`);
    const deadline = start + (hasHealthcheck ? o.timeout : o.stay) * 1000;
    let health = '';
    for (;;) {
      const r = await runner.run(engine, ['inspect', '--format', '{{json .State}}', name], { timeoutMs: 30_000 });
      let state: State = {};
      try {
        if (r.code === 0) state = JSON.parse(r.stdout || '{}') as State;
      } catch {
        // not JSON: treated as not running (the logs say why)
      }
      if (state.Running !== true) {
        const logs = await runner.run(engine, ['logs', '--tail', '20', name], { timeoutMs: 30_000 });
        const log = lastLine(logs.stderr) || lastLine(logs.stdout);
        return failed(
          `the container stopped (${state.Status ?? 'unknown state'}, exit code ${state.ExitCode ?? '?'}) after ${seconds()} s` +
            (log ? `; last log line: ${log}` : ''),
        );
      }
      if (hasHealthcheck) {
        health = state.Health?.Status ?? state.Healthcheck?.Status ?? '';
        // podman schedules health checks with systemd timers, which a CI container may not have: run
        // the check now (it also updates the status docker-style)
        if (engine === 'podman' && health !== 'healthy') {
          const hc = await runner.run('podman', ['healthcheck', 'run', name], { timeoutMs: 60_000 });
          if (hc.code === 0) health = 'healthy';
        }
        if (health === 'healthy') return { outcome: 'healthy', user, seconds: seconds() };
        if (engine === 'docker' && health === 'unhealthy')
          return failed(`the health check failed (unhealthy after ${seconds()} s)`);
      }
      if (now() >= deadline) break;
      await sleep(1000);
    }
    return hasHealthcheck
      ? failed(`the health check did not pass within ${o.timeout} s (status: ${health || 'none'})`)
      : { outcome: 'running', user, seconds: seconds() };
  } finally {
    // podman rm -f waits 10 s for a graceful stop; a smoke run needs none (docker rm -f kills at once)
    await runner.run(engine, ['rm', '-f', '-v', ...(engine === 'podman' ? ['--time', '0'] : []), name], {
      timeoutMs: 60_000,
    });
  }
}

// A real Compose implementation reads what we write: `docker-compose config -q` (Debian's 1.29,
// which the e2e tests run against podman). Skipped only when the binary is missing outside CI.
import { describe, it, expect } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCompose } from '../../lib/outputs/compose.js';
import { makeSpec, PROVIDERS_UNDER_TEST } from './fixtures.js';
import type { BackingService } from '../../lib/core/types.js';

// each provider alone and with both backing services (each docker-compose run costs ~3 s)
const SERVICE_SETS: BackingService[][] = [[], ['postgres', 'redis']];

function hasDockerCompose(): boolean {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasDockerCompose();
const run = available || process.env.CI ? describe : describe.skip;

run('docker-compose config accepts compose.yaml', () => {
  it('has the docker-compose binary (required in CI)', () => {
    expect(available).toBe(true);
  });
  for (const secretProvider of PROVIDERS_UNDER_TEST) {
    for (const services of SERVICE_SETS) {
      it(`${secretProvider} with ${services.join('+') || 'no services'}`, () => {
        const dir = mkdtempSync(join(tmpdir(), 'sc-compose-'));
        try {
          // build.secrets needs Compose v2; docker-compose 1.29 is fed specs without build secrets
          const file = join(dir, 'compose.yaml');
          writeFileSync(
            file,
            renderCompose(
              makeSpec({ answers: { secretProvider, services, bind: services.length > 0 ? '0.0.0.0' : '127.0.0.1' } }),
            ),
          );
          const r = spawnSync('docker-compose', ['-f', file, '--project-directory', dir, 'config', '-q'], {
            encoding: 'utf8',
            timeout: 60_000,
          });
          expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }
});

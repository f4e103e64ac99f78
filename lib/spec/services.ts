// The data behind every service that is not the app: images (pinned, one table), identities, limits.
// Bump an image here and only here (P3/P7: official or vendor images, explicit version tags, never
// `latest`); Renovate/Dependabot can keep this table fresh.
import type { BackingService } from '../core/types.js';

/** Every third-party image the compose file may reference. Official or vendor-maintained, pinned. */
export const IMAGES = {
  /** Docker Official Image; 17.x keeps PGDATA at /var/lib/postgresql/data (18 moved it). */
  postgres: 'postgres:17.11-alpine',
  /** Docker Official Image; the alpine variant has /bin/sh (needed to read the password file). */
  redis: 'redis:7.4.11-alpine',
  /** HashiCorp's official image (alpine based, has /bin/sh); the `vault agent` subcommand. */
  vault: 'hashicorp/vault:1.21.4',
  /** AWS's official AWS CLI v2 image (Amazon Linux based, has /bin/sh). */
  awsCli: 'amazon/aws-cli:2.34.24',
} as const;

export type ImageKey = keyof typeof IMAGES;

export interface ResourceLimits {
  memory: string;
  pids: number;
  cpus: number;
}

/** A backing service the user can ask for (`--service`). One process per container (P1). */
export interface BackingServiceDef {
  id: BackingService;
  image: ImageKey;
  /** the image's own non-root user; the data directory in the image is owned by it (P5) */
  user: { uid: number; gid: number };
  port: number;
  /** named volume (suffix) and where the image keeps its data (P8) */
  dataTarget: string;
  /** extra scratch paths on the read-only root filesystem */
  tmpfs: string[];
  /** the password secret (a local compose file secret, shared with the app) */
  passwordSecret: string;
  limits: ResourceLimits;
  /** environment of the app so it can find the service (non-secret values only) */
  appEnv: Record<string, string>;
  /**
   * the service's own compose settings, in file order (environment or command, then healthcheck),
   * with the comment to write above each key
   */
  compose(): { settings: Record<string, unknown>; notes: Record<string, string> };
}

/** The Postgres role and database the compose file creates (no secret: the password is a file). */
export const POSTGRES_USER = 'app';
export const POSTGRES_DB = 'app';

export const SERVICE_DEFS: Record<BackingService, BackingServiceDef> = {
  postgres: {
    id: 'postgres',
    image: 'postgres',
    // uid/gid 70 = `postgres` in the alpine image; PGDATA in the image is owned by it, so a fresh
    // named volume is too and the entrypoint runs initdb without root, chown or any capability.
    user: { uid: 70, gid: 70 },
    port: 5432,
    dataTarget: '/var/lib/postgresql/data',
    // The socket directory /var/run/postgresql is /run/postgresql (/var/run -> /run in the image): a
    // tmpfs on all of /run, not on /run/postgresql. Podman (4.3, Debian 12) puts its own tmpfs on /run
    // for read-only containers, and a tmpfs nested in it gets mode 1755 root whatever `mode=` says:
    // postgres could not create its socket lock ("Permission denied"), found by the e2e suite. On
    // /run, Podman copies the image's postgres-owned /run/postgresql up; Docker starts it empty and
    // the entrypoint creates /run/postgresql as postgres (mode 1777 lets it).
    tmpfs: ['/tmp', '/run'],
    passwordSecret: 'postgres_password',
    limits: { memory: '512m', pids: 200, cpus: 1 },
    appEnv: { DATABASE_HOST: 'postgres', DATABASE_PORT: '5432', DATABASE_USER: 'app', DATABASE_NAME: 'app' },
    compose: () => ({
      settings: {
        environment: {
          POSTGRES_USER,
          POSTGRES_DB,
          POSTGRES_PASSWORD_FILE: '/run/secrets/postgres_password',
        },
        healthcheck: {
          test: ['CMD', 'pg_isready', '-h', '127.0.0.1', '-U', POSTGRES_USER, '-d', POSTGRES_DB],
          interval: '10s',
          timeout: '5s',
          retries: 5,
          start_period: '30s',
        },
      },
      notes: {
        healthcheck: ' ready only when the real server listens on TCP (not the init-time socket-only server)',
      },
    }),
  },
  redis: {
    id: 'redis',
    image: 'redis',
    // uid 999 / gid 1000 = `redis` in the alpine image; /data in the image is owned by it.
    user: { uid: 999, gid: 1000 },
    port: 6379,
    dataTarget: '/data',
    tmpfs: ['/tmp'],
    passwordSecret: 'redis_password',
    limits: { memory: '256m', pids: 64, cpus: 0.5 },
    appEnv: { REDIS_HOST: 'redis', REDIS_PORT: '6379' },
    // The official image has no "password file" setting: the entrypoint's shell writes a config
    // file into this container's own tmpfs, so the password is never in argv or the environment.
    compose: () => ({
      settings: {
        command: [
          '/bin/sh',
          '-c',
          // sed: redis.conf reads a double-quoted value with \\ and \" escapes, so a password holding
          // either character is escaped, never cut short or re-interpreted
          'umask 077 && printf \'requirepass "%s"\\n\' "$$(sed \'s/[\\\\"]/\\\\&/g\' /run/secrets/redis_password)" > /tmp/redis.conf && exec redis-server /tmp/redis.conf --dir /data --appendonly yes',
        ],
        healthcheck: {
          test: [
            'CMD-SHELL',
            'REDISCLI_AUTH="$$(cat /run/secrets/redis_password)" redis-cli -h 127.0.0.1 ping | grep -q PONG',
          ],
          interval: '10s',
          timeout: '5s',
          retries: 5,
          start_period: '10s',
        },
      },
      notes: {
        command: ' P4: requirepass from the secret file via a config file on tmpfs (never argv/env); $$ is a literal $',
      },
    }),
  },
};

/** Sidecars that deliver secrets (P1: one process per container; P5: hardened like the app). */
export const SIDECARS = {
  vault: { service: 'vault-agent', image: 'vault' as ImageKey, limits: { memory: '128m', pids: 64, cpus: 0.5 } },
  aws: { service: 'aws-secrets', image: 'awsCli' as ImageKey, limits: { memory: '256m', pids: 64, cpus: 0.5 } },
} as const;

/** AppRole credentials of the Vault agent: compose file secrets, never inline (P4). */
export const VAULT_APPROLE_SECRETS = ['vault_role_id', 'vault_secret_id'] as const;

/**
 * Secret names the renderers use for their own wiring. The answers validation should reject a user
 * secret with one of the first two names; a user secret named like a service password is merged
 * into that service password (it is then a local file secret shared by the app and the service).
 */
export const RESERVED_SECRET_NAMES: readonly string[] = [...VAULT_APPROLE_SECRETS];

/** Compose service names the renderers use; the app name must not be one of them. */
export const RESERVED_SERVICE_NAMES: readonly string[] = [
  ...Object.keys(SERVICE_DEFS),
  SIDECARS.vault.service,
  SIDECARS.aws.service,
];

/** Credentials of the standard AWS chain, passed through by name only (values come from the host). */
export const AWS_PASSTHROUGH_ENV = [
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL',
] as const;

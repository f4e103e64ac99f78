// Third-party services: a compose service that runs an image it does not build (`image:` without
// `build:`). The app-hardening rules (user, read-only root filesystem, capabilities,
// no-new-privileges, memory and pids limits) report them at `info`, not `warning`: the image's
// publisher decided how it starts (most official database images start as root, fix the ownership
// of their data directory, then switch to their own user), so the right setting depends on the
// image, not on the repository's code. For well-known official images the finding gives the
// setting their documentation supports. A service with `build:` (with or without `image:`) is the
// repository's own and keeps the rule's severity.
import type { ParsedImage } from '../image.js';
import type { ComposeService } from './model.js';

/** Severity of an app-hardening finding on a third-party service. */
export const THIRD_PARTY_SEVERITY = 'info' as const;

export interface KnownImage {
  /** short name used in messages */
  name: string;
  /** `<registry>/<repository>` values (ParsedImage.full) */
  repositories: string[];
  /** the image runs as a non-root user by default (its Dockerfile sets USER) */
  nonRootByDefault?: boolean;
  /** how to set `user:` for this image, as its documentation says */
  user: string;
  /** it starts as root and switches to its own user itself (needs CHOWN/SETUID/SETGID unless `user:` is set) */
  switchesUser?: boolean;
  /** paths the image writes at run time (volumes or tmpfs under `read_only: true`) */
  writes?: string[];
  /** where this is documented */
  doc: string;
}

const hub = (name: string): string => `docker.io/library/${name}`;

/** Well-known images and what their documentation says about running them non-root. */
export const KNOWN_IMAGES: readonly KnownImage[] = [
  {
    name: 'postgres',
    repositories: [hub('postgres')],
    user: '`user: postgres` (uid 999 in the Debian variants, 70 in the Alpine ones: the name exists in both), with the data directory owned by that uid; initdb needs the user to exist in /etc/passwd',
    switchesUser: true,
    writes: ['/var/lib/postgresql/data', '/var/run/postgresql'],
    doc: 'https://github.com/docker-library/docs/blob/master/postgres/README.md#arbitrary---user-notes',
  },
  {
    name: 'mysql',
    repositories: [hub('mysql')],
    user: '`user: "999:999"` (the image\'s mysql user), or any non-root uid:gid that owns the data directory',
    switchesUser: true,
    writes: ['/var/lib/mysql', '/var/run/mysqld', '/tmp'],
    doc: 'https://github.com/docker-library/docs/blob/master/mysql/README.md#running-as-an-arbitrary-user',
  },
  {
    name: 'mariadb',
    repositories: [hub('mariadb')],
    user: "`user: mysql` (the image's own user), or any non-root uid:gid that owns the data directory",
    switchesUser: true,
    writes: ['/var/lib/mysql', '/run/mysqld', '/tmp'],
    doc: 'https://github.com/docker-library/docs/blob/master/mariadb/README.md',
  },
  {
    name: 'redis',
    repositories: [hub('redis')],
    user: '`user: redis` (uid 999; gid 999 in the Debian variants, 1000 in the Alpine ones: its entrypoint switches to it when started as root) with /data owned by it',
    switchesUser: true,
    writes: ['/data'],
    doc: 'https://github.com/redis/docker-library-redis/blob/master/docker-entrypoint.sh',
  },
  {
    name: 'mongo',
    repositories: [hub('mongo')],
    user: '`user: "999:999"` (the image\'s mongodb user: its entrypoint switches to it when started as root) with /data/db owned by it',
    switchesUser: true,
    writes: ['/data/db', '/data/configdb', '/tmp'],
    doc: 'https://github.com/docker-library/mongo/blob/master/docker-entrypoint.sh',
  },
  {
    name: 'rabbitmq',
    repositories: [hub('rabbitmq')],
    user: '`user: "999:999"` (the image\'s rabbitmq user: its entrypoint switches to it when started as root) with /var/lib/rabbitmq owned by it',
    switchesUser: true,
    writes: ['/var/lib/rabbitmq'],
    doc: 'https://github.com/docker-library/rabbitmq/blob/master/docker-entrypoint.sh',
  },
  {
    name: 'nginx',
    repositories: [hub('nginx')],
    user: 'the official image starts as root (workers run as nginx, uid 101): use `nginxinc/nginx-unprivileged` (uid 101, listens on 8080) instead',
    writes: ['/var/cache/nginx', '/var/run', '/tmp'],
    doc: 'https://github.com/nginxinc/docker-nginx-unprivileged',
  },
  {
    name: 'nginx-unprivileged',
    repositories: ['docker.io/nginxinc/nginx-unprivileged'],
    nonRootByDefault: true,
    user: 'runs as uid 101 by default',
    writes: ['/tmp', '/var/cache/nginx'],
    doc: 'https://github.com/nginxinc/docker-nginx-unprivileged',
  },
  {
    name: 'elasticsearch',
    repositories: [hub('elasticsearch'), 'docker.elastic.co/elasticsearch/elasticsearch'],
    nonRootByDefault: true,
    user: 'runs as uid:gid 1000:0 by default; a bind-mounted data directory must be writable by uid 1000 or gid 0',
    writes: ['/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs', '/tmp'],
    doc: 'https://www.elastic.co/guide/en/elasticsearch/reference/current/docker.html',
  },
  {
    name: 'adminer',
    repositories: [hub('adminer')],
    nonRootByDefault: true,
    user: 'runs as its adminer user by default',
    doc: 'https://github.com/TimWolla/docker-adminer',
  },
  {
    name: 'traefik',
    repositories: [hub('traefik')],
    user: 'starts as root; a non-root `user:` works when it listens on ports >= 1024 and reads the Docker API through a socket proxy, not /var/run/docker.sock',
    doc: 'https://doc.traefik.io/traefik/providers/docker/#docker-api-access',
  },
];

const byRepository = new Map<string, KnownImage>();
for (const k of KNOWN_IMAGES) for (const r of k.repositories) byRepository.set(r, k);

/** What the table knows about an image (null: not a well-known image). */
export function knownImage(img: ParsedImage | null): KnownImage | null {
  return img ? (byRepository.get(img.full.toLowerCase()) ?? null) : null;
}

/** A service that runs an image the repository does not build: `image:` and no `build:`. */
export function isThirdParty(s: ComposeService): boolean {
  return s.image !== null && !s.has('build');
}

/**
 * How an app-hardening rule reports a third-party service: at THIRD_PARTY_SEVERITY, the message
 * naming the image, the fix with what the image's documentation says (`advice` for that rule).
 * null for the repository's own services (the rule reports them as usual).
 */
export function thirdPartyReport(
  s: ComposeService,
  advice: (k: KnownImage) => string | null,
  generic: string,
): { severity: typeof THIRD_PARTY_SEVERITY; note: string; fix: string } | null {
  if (!isThirdParty(s) || !s.image) return null;
  const k = knownImage(s.image);
  const a = k ? advice(k) : null;
  return {
    severity: THIRD_PARTY_SEVERITY,
    note: ` (third-party image ${s.image.ref})`,
    fix: a ? `${a} (${k?.doc ?? ''})` : generic,
  };
}

/** `read_only` advice: the paths the image writes. */
export const writesAdvice = (k: KnownImage): string | null =>
  k.writes
    ? `${k.name} writes ${k.writes.join(', ')}: mount a volume or tmpfs on each, then set \`read_only: true\``
    : null;

/** Capability advice: images that switch users themselves need CHOWN/SETUID/SETGID unless `user:` is set. */
export const capsAdvice = (k: KnownImage): string | null =>
  k.switchesUser
    ? `${k.name} starts as root and switches to its own user (it needs CHOWN, SETUID, SETGID, DAC_OVERRIDE, FOWNER for that): set ${k.user.split(' (')[0]} first, then \`cap_drop: [ALL]\``
    : k.nonRootByDefault
      ? `${k.name} ${k.user}: \`cap_drop: [ALL]\` should not break it`
      : null;

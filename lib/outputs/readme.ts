// ContainerSpec -> README.Docker.md: how to build, run, add/rotate secrets, regenerate, and which
// principle each setting serves. The template reads like the file; the decisions are made here.
import { packageRegistryNotes } from '../runtimes/profile.js';
import { isLoopback } from '../core/answers/parse.js';
import type { ContainerSpec } from '../core/types.js';
import { profileFor } from '../runtimes/index.js';
import { escapeControl } from '../text/escape.js';
import { AWS_FETCH_SCRIPT, LABEL_BUILD_ARGS, VAULT_AGENT_CONFIG } from './compose.js';
import { SERVICE_DEFS, IMAGES, SIDECARS } from '../spec/services.js';
import { type SecretsPlan } from '../spec/secrets.js';
import { vaultTemplates } from './secrets.js';
import { ciReadmeSection } from './ci/readme.js';
import { renderTemplate, sh } from './templates.js';

export interface PrincipleRow {
  setting: string;
  where: string;
  principle: string;
  why: string;
}

/** Which principle each generated setting serves (only the rows that apply to this spec). */
export function principleRows(spec: ContainerSpec, plan: SecretsPlan = spec.secretsPlan): PrincipleRow[] {
  const rows: PrincipleRow[] = [
    {
      setting: 'one exec-form ENTRYPOINT, `init: true`',
      where: 'Dockerfile, compose.yaml',
      principle: 'P1',
      why: 'one process per container, signals reach the app, zombies are reaped',
    },
    {
      setting: `multi-stage build, ${spec.flavor} final image`,
      where: 'Dockerfile',
      principle: 'P2',
      why: 'no compiler, package manager or (where possible) shell at run time',
    },
    {
      setting: 'official images with explicit tags',
      where: 'Dockerfile, compose.yaml',
      principle: 'P3, P7',
      why: 'trusted sources; the same bytes on every build until a tag is bumped',
    },
    {
      setting: 'secrets as files `/run/secrets/<name>` + `<NAME>_FILE`',
      where: 'compose.yaml',
      principle: 'P4',
      why: 'never in ARG, ENV, labels, image layers or the compose file',
    },
    {
      setting: `\`user: "${spec.user.uid}:${spec.user.gid}"\`, \`cap_drop: [ALL]\`, \`no-new-privileges\``,
      where: 'Dockerfile, compose.yaml',
      principle: 'P5',
      why: 'a compromised process has no root, no capabilities, no setuid escalation',
    },
    {
      setting: '`read_only: true` + tmpfs',
      where: 'compose.yaml',
      principle: 'P5, P8',
      why: 'nothing can be written into the image at run time',
    },
    {
      setting: 'build from the Dockerfile, OCI labels from build args',
      where: 'compose.yaml, this file',
      principle: 'P6',
      why: 'every image is traceable to a commit; never `docker commit`',
    },
    {
      setting: 'image tagged with the git SHA',
      where: 'this file',
      principle: 'P7',
      why: 'you always know which commit runs; `latest` is never used',
    },
    {
      setting: 'healthcheck, bounded `restart: on-failure`',
      where: 'Dockerfile, compose.yaml',
      principle: 'P8',
      why: 'a sick container is seen and restarted, a crash loop stops',
    },
    {
      setting: `ports only \`${spec.bind}:${spec.port}\``,
      where: 'compose.yaml',
      principle: 'P9',
      why: isLoopback(spec.bind)
        ? 'only this machine can reach the app'
        : 'published beyond loopback on purpose (--bind)',
    },
    {
      setting: '`mem_limit`, `pids_limit`, `cpus`',
      where: 'compose.yaml',
      principle: 'P9',
      why: 'a runaway or abused container cannot starve the host',
    },
  ];
  if (spec.dataVolumes.length > 0)
    rows.push({
      setting: `named volumes for ${spec.dataVolumes.map((v) => `\`${v.target}\``).join(', ')}`,
      where: 'compose.yaml',
      principle: 'P8',
      why: 'data outlives the container; the container stays disposable',
    });
  if (spec.services.length > 0)
    rows.push({
      setting: '`internal: true` backend network, no published ports',
      where: 'compose.yaml',
      principle: 'P9',
      why: `${spec.services.join(' and ')} cannot be reached from outside`,
    });
  if (plan.sharedVolume)
    rows.push({
      setting: `in-memory \`${plan.sharedVolume}\` volume, read-only in the app`,
      where: 'compose.yaml',
      principle: 'P4',
      why: 'fetched secrets never touch a disk and the app cannot change them',
    });
  if (plan.build.length > 0)
    rows.push({
      setting: 'BuildKit secret mounts (`build.secrets`)',
      where: 'Dockerfile, compose.yaml',
      principle: 'P4',
      why: 'build-time tokens never reach a layer',
    });
  // --app-env: the app's own settings (names only here; the values are in the Dockerfile)
  if (spec.appEnv?.length)
    rows.push({
      setting: `the app's own \`ENV\` ${spec.appEnv.map(([k]) => `\`${k}\``).join(', ')} (--app-env)`,
      where: 'Dockerfile',
      principle: 'P4',
      why: 'run-time settings the app reads, kept from your Dockerfile; literal values, never a secret (those are files)',
    });
  return rows;
}

/** IAM policy granting exactly GetSecretValue on the listed secrets (names become ARN patterns). */
export function awsIamPolicy(spec: ContainerSpec, plan: SecretsPlan = spec.secretsPlan): string {
  const region = spec.aws.region;
  const resources = plan.fetched.map((r) =>
    r.source.startsWith('arn:') ? r.source : `arn:aws:secretsmanager:${region}:<ACCOUNT_ID>:secret:${r.source}-??????`,
  );
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadAppSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resources },
      ],
    },
    null,
    2,
  );
}

/** Vault policy granting read on exactly the rendered KV v2 paths. */
export function vaultPolicy(spec: ContainerSpec): string {
  const paths = [...new Set(vaultTemplates(spec).map((t) => t.mountPath))];
  return paths.map((p) => `path "${p}" {\n  capabilities = ["read"]\n}`).join('\n\n');
}

/**
 * The shell value of each OCI-label build arg (LABEL_BUILD_ARGS). Every one works in any git checkout
 * with a commit: a repository without a remote gets `unknown` (the Dockerfile's ARG default) instead
 * of the error of `git remote get-url origin`.
 */
export function labelValues(): { name: string; value: string }[] {
  const value: Record<(typeof LABEL_BUILD_ARGS)[number], string> = {
    VCS_REF: '$(git rev-parse HEAD)',
    VERSION: '$(git describe --tags --always)',
    BUILD_DATE: '$(date -u +%Y-%m-%dT%H:%M:%SZ)',
    SOURCE_URL: '$(git remote get-url origin 2>/dev/null || echo unknown)',
  };
  return LABEL_BUILD_ARGS.map((name) => ({ name, value: value[name] }));
}

/**
 * The example name in "Add a secret": `new_secret`, or `new_secret_2`, `_3`... when that name is
 * already an answer. So the README never suggests a list with a name twice (the CLI rejects that),
 * also after someone followed the suggestion literally.
 */
export function placeholderSecret(existing: readonly string[]): string {
  if (!existing.includes('new_secret')) return 'new_secret';
  let i = 2;
  while (existing.includes(`new_secret_${i}`)) i++;
  return `new_secret_${i}`;
}

/** `upgrade` (not `init`) so the new answer flows into files the user has edited (three-way merge). */
export function addSecretCommandOf(spec: ContainerSpec, plan: SecretsPlan, newSecret: string): string {
  const sourceFlag =
    plan.provider === 'vault'
      ? ` --vault-path ${newSecret}=${spec.name}/${newSecret}`
      : plan.provider === 'aws'
        ? ` --aws-secret-id ${newSecret}=${spec.name}/${newSecret}`
        : '';
  return `${spec.generator.command} upgrade --secret ${[...spec.secrets.map((s) => s.name), newSecret].join(',')}${sourceFlag}`;
}

export function renderReadmeDocker(spec: ContainerSpec): string {
  const plan = spec.secretsPlan;
  const helper = spec.secretsHelper;
  const files = ['`Dockerfile`', '`compose.yaml`'];
  if (plan.files.length > 0) files.push('`secrets/README.md`');
  if (plan.sidecar) files.push(`\`${plan.provider === 'vault' ? VAULT_AGENT_CONFIG : AWS_FETCH_SCRIPT}\``);
  if (helper) files.push(`\`${helper}\``);
  const newSecret = placeholderSecret(spec.secrets.map((s) => s.name));
  const addSecretCommand = addSecretCommandOf(spec, plan, newSecret);
  const volumeNames = [
    ...spec.dataVolumes.map((v) => v.name),
    ...spec.services.map((s) => `${SERVICE_DEFS[s].id}-data`),
    ...(plan.sharedVolume ? [plan.sharedVolume] : []),
  ];
  return renderTemplate('README.Docker.md.ejs', {
    spec,
    addSecretCommand,
    newSecret,
    volumeNames,
    labelValues: labelValues(),
    fileList: `The ${files.join(', ')}`,
    plan,
    generator: `${spec.generator.name} ${spec.generator.version}`,
    rows: principleRows(spec, plan),
    iamPolicy: plan.provider === 'aws' && plan.fetched.length > 0 ? awsIamPolicy(spec, plan) : null,
    vaultPolicy: plan.provider === 'vault' && plan.fetched.length > 0 ? vaultPolicy(spec) : null,
    vaultTemplates: plan.provider === 'vault' ? vaultTemplates(spec) : [],
    vaultConfig: VAULT_AGENT_CONFIG,
    awsScript: AWS_FETCH_SCRIPT,
    services: spec.services.map((s) => ({ ...SERVICE_DEFS[s], imageRef: IMAGES[SERVICE_DEFS[s].image] })),
    sidecarImage: plan.sidecar ? IMAGES[SIDECARS[plan.provider as 'vault' | 'aws'].image] : null,
    helper,
    isLoopback: isLoopback(spec.bind),
    hostForCurl: spec.bind.includes(':') ? `[${spec.bind}]` : spec.bind === '0.0.0.0' ? '127.0.0.1' : spec.bind,
    manualSteps: manualSteps(spec),
    // how the runtime serves the app (a static site's nginx, PHP's FrankenPHP), when its profile says
    servedNotes: [...(profileFor(spec.runtime).readmeNotes?.(spec) ?? []), ...packageRegistryNotes(spec)],
    // --ci: what the workflow does and how to verify a signed image ('' without)
    ciSection: ciReadmeSection(spec),
    // --pin-digests: how to move the pins (the bot section reads spec.updateBot)
    pinned: spec.digests !== undefined && Object.keys(spec.digests).length > 0,
  });
}

/**
 * Release steps the app's own files run (migrations) as commands on the built image: the logical
 * argv's interpreter is the image's (or, for compiled runtimes, the binary itself is the entrypoint).
 */
export function manualSteps(spec: ContainerSpec): { command: string; why: string; when: string }[] {
  const interp = profileFor(spec.runtime).interpreter(spec.flavor);
  return (spec.layout.manualSteps ?? []).map((m) => {
    const [first = '', ...rest] = m.argv;
    const entry = interp ?? first;
    // the argv came from the repository's own files: every token is quoted for the shell, and
    // control characters are shown, not written (a newline would leave the code block)
    const q = (t: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(t) ? t : sh(escapeControl(t)));
    return {
      command: `docker compose run --rm --entrypoint ${q(entry)} ${spec.name}${rest.length ? ` ${rest.map(q).join(' ')}` : ''}`,
      why: escapeControl(m.why.replace(/\s+/g, ' ')),
      when: m.when,
    };
  });
}

// answers + layout -> ContainerSpec -> files -> self-check. Pure: the callers (the Yeoman
// generator and the bin) do the detection before and the writing after.
import { buildSpec, type SpecOptions } from './core/spec.js';
import type { Answers, ContainerSpec, Finding, GeneratedFile, ProjectLayout } from './core/types.js';
import { profileFor } from './runtimes/index.js';
import { renderDockerfile, renderDockerignore } from './render/dockerfile.js';
import { renderCompose } from './render/compose.js';
import { renderProviderFiles } from './render/providers/index.js';
import { renderReadmeDocker } from './render/readme-docker.js';
import { renderSecretsHelper } from './render/helpers.js';
import { auditGenerated, type PolicyConfig } from './policy/index.js';

export interface BuildOptions extends SpecOptions {
  policy?: PolicyConfig;
}

export interface BuildResult {
  spec: ContainerSpec;
  files: GeneratedFile[];
  /** the audit's findings on the generated files (the self-check); errors here are bugs */
  findings: Finding[];
}

export function renderFiles(spec: ContainerSpec): GeneratedFile[] {
  const files: GeneratedFile[] = [
    { path: 'Dockerfile', contents: renderDockerfile(spec) },
    { path: '.dockerignore', contents: renderDockerignore(spec) },
    { path: 'compose.yaml', contents: renderCompose(spec) },
    { path: 'README.Docker.md', contents: renderReadmeDocker(spec) },
    ...renderProviderFiles(spec),
  ];
  files.push(...(profileFor(spec.runtime).extraFiles?.(spec) ?? []));
  const helper = renderSecretsHelper(spec);
  if (helper) files.push(helper);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function buildFiles(answers: Answers, layout: ProjectLayout, opts: BuildOptions = {}): BuildResult {
  const spec = buildSpec(answers, layout, opts);
  const files = renderFiles(spec);
  const findings = auditGenerated(files, opts.policy);
  return { spec, files, findings };
}

// The Kubernetes step of init's "Next steps" (lib/flow/plan-text.ts): where the secret files go,
// the image to push and set, and the one command that deploys the base.
import type { ContainerSpec } from '../../core/types.js';
import type { KubeRun } from './common.js';
import { generatedSecrets } from './secrets.js';

/** The step (title and lines) for a run with --kubernetes; null without. */
export function kubernetesNextStep(spec: ContainerSpec): { title: string; lines: string[] } | null {
  if (!spec.kubernetes) return null;
  const run = spec as KubeRun;
  const k = run.kubernetes;
  const files = generatedSecrets(run).flatMap((g) => g.files.map((f) => `${k.dir}/${f}`));
  const cmd = (c: string): string => `  ${c}`;
  return {
    title: `Deploy to Kubernetes (README.Docker.md, "Kubernetes"; ${k.dir}/README.md explains every object):`,
    lines: [
      ...(files.length > 0 ? [`Create the secret files the secretGenerator reads: ${files.join(', ')}`] : []),
      `Push the image and set its tag in ${k.dir}/kustomization.yaml (kustomize edit set image, ${k.dir}/README.md), then:`,
      cmd(`kubectl apply -k ${k.dir}`),
      cmd(`kubectl -n ${k.namespace} rollout status deployment/${spec.name}`),
    ],
  };
}

// File kinds the policy understands. A kind is how to recognise a file (match), how to read it
// (parse → model + problems), its rules, and where a suppression comment applies. The engine
// (engine.ts) has one runner for every kind: adding a kind is adding an entry here, not an engine.
import type { ResolvedPolicyConfig } from './config.js';
import { buildComposeModel, type ComposeModel } from './compose/model.js';
import { buildDockerfileModel, type DockerfileModel } from './dockerfile/model.js';
import { buildKubernetesModel, type KubernetesModel } from './kubernetes/model.js';
import { buildWorkflowModel, yamlComments, type WorkflowModel } from './workflow/model.js';
import { composeRules, dockerfileRules, kubernetesRules, workflowRules } from './rules/registry.js';
import type { FileKind, KindRule } from './types.js';

/** The suppression directive: `# secure-container-ignore SC1234: reason`. */
export const SUPPRESSION_DIRECTIVE = 'secure-container-ignore';

export interface Problem {
  /** 1-based line */
  line: number;
  message: string;
}

export interface Parsed<M> {
  model: M;
  /** problems that make the file invalid, each reported as SC0001 (message as shown) */
  problems: readonly Problem[];
  /** analysis limits reached, each reported as SC0004: the file was only partly analysed */
  limits: readonly Problem[];
  /** whether the model is good enough to run the kind's rules on */
  usable: boolean;
}

/** A comment that may hold a suppression directive. */
export interface KindComment {
  line: number;
  /** the comment text (a leading '#' is allowed) */
  text: string;
  /** a trailing comment on a line with content (what that means is up to the kind's scope) */
  own?: boolean;
}

/** Where suppressions apply: a suppression and a finding meet when their keys are equal (-1: none). */
export interface SuppressionScope {
  /** key of what a suppression comment on `line` covers */
  target(line: number, own: boolean): number;
  /** key of what a finding on `line` belongs to */
  owner(line: number): number;
}

/**
 * A file kind. Members that take the model are methods (bivariant), so a `Kind<DockerfileModel>`
 * is a `Kind` (= `Kind<unknown>`) and kinds can share one table.
 */
export interface Kind<M = unknown, Id extends string = string> {
  readonly id: Id;
  /** what a file of this kind is called in messages ("cannot parse <title>: …") */
  readonly title: string;
  match(path: string): boolean;
  /** Parse a file. May throw (reported as SC0001 "cannot parse <title>"). */
  parse(text: string, path: string, config: ResolvedPolicyConfig): Parsed<M>;
  /** the kind's rules, in id order */
  readonly rules: readonly KindRule<M>[];
  /** comments that may hold a suppression directive */
  comments(model: M, text: string): Iterable<KindComment>;
  /** where suppressions apply (asked only when the file has suppressions) */
  scope(model: M): SuppressionScope;
}

const DOCKERFILE = /^(?:dockerfile|containerfile|dockerfile\.[^/]+|[^/]+\.(?:dockerfile|containerfile))$/i;
const COMPOSE = /^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$/i;
/** GitHub Actions workflows: YAML files directly in .github/workflows/ (never a compose file or a manifest). */
const WORKFLOW = /(?:^|[\\/])\.github[\\/]workflows[\\/][^\\/]+\.ya?ml$/i;
/** Template or backup copies that look like Dockerfiles by name but are not. */
const NOT_DOCKERFILE = /\.(?:ejs|hbs|j2|jinja|tmpl|tpl|orig|bak|swp|md|txt|json|ya?ml|sh|ps1|dockerignore)$/i;

const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** Index of the last element of the ascending array `a` that is <= x (-1 if none). Binary search. */
function lastAtMost(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

export const dockerfileKind: Kind<DockerfileModel, 'dockerfile'> = {
  id: 'dockerfile',
  title: 'Dockerfile',
  match: (path) => {
    const base = baseName(path);
    return DOCKERFILE.test(base) && !NOT_DOCKERFILE.test(base);
  },
  parse(text, path, config) {
    const model = buildDockerfileModel(text, path, config);
    return {
      model,
      problems: model.problems.map((p) => ({ line: p.line, message: `Dockerfile parse error: ${p.message}` })),
      limits: model.limits,
      usable: model.stages.length > 0,
    };
  },
  rules: dockerfileRules,
  comments: (model) => model.comments,
  // a suppression applies to the first instruction that starts after it, all of its lines.
  // Instructions are in line order and do not overlap: binary searches, not scans per suppression.
  scope(model) {
    const starts = model.instructions.map((i) => i.line);
    const ends = model.instructions.map((i) => i.endLine);
    return {
      target: (line) => {
        const k = lastAtMost(starts, line) + 1;
        return k < starts.length ? starts[k] : -1;
      },
      // the instruction containing the line: the last one starting at or before it
      owner: (line) => {
        const k = lastAtMost(starts, line);
        return k >= 0 && line <= Math.max(ends[k], starts[k]) ? starts[k] : -1;
      },
    };
  },
};

export const composeKind: Kind<ComposeModel, 'compose'> = {
  id: 'compose',
  title: 'compose file',
  match: (path) => COMPOSE.test(baseName(path)) && !WORKFLOW.test(path),
  parse(text, path) {
    const model = buildComposeModel(text, path);
    return {
      model,
      problems: model.problems.map((p) => ({ line: p.line, message: `compose parse error: ${p.message}` })),
      limits: [],
      usable: model.problems.length === 0,
    };
  },
  rules: composeRules,
  *comments(_model, text) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const hash = lines[i].indexOf('#');
      if (hash < 0 || !lines[i].includes(SUPPRESSION_DIRECTIVE)) continue;
      yield { line: i + 1, text: lines[i].slice(hash), own: lines[i].slice(0, hash).trim() !== '' };
    }
  },
  // a trailing comment applies to its own line; a comment line to the next line
  scope: () => ({ target: (line, own) => (own ? line : line + 1), owner: (line) => line }),
};

/** Folders that hold Kubernetes manifests by convention (Kustomize bases and overlays, rendered charts, GitOps trees). */
const KUBERNETES_DIR =
  /(?:^|[\\/])(?:k8s|kube|kubernetes|manifests?|kustomize|deploy|deployments?|overlays?|base|helm|charts?|rendered|argocd|flux|gitops|clusters?)[\\/]/i;
/** File names of Kubernetes manifests (kustomization.yaml, deployment.yaml, app.k8s.yaml, rendered.yaml…). */
const KUBERNETES_NAME =
  /^(?:[^/\\]*[.-])?(?:kustomization|k8s|kube|kubernetes|manifests?|deployment|statefulset|daemonset|cronjob|job|pod|service|ingress|networkpolicy|namespace|serviceaccount|pvc|persistentvolumeclaim|poddisruptionbudget|pdb|configmap|rbac|rolebinding|role|hpa|rendered)\.ya?ml$/i;

export const kubernetesKind: Kind<KubernetesModel, 'kubernetes'> = {
  id: 'kubernetes',
  title: 'Kubernetes manifest',
  // a YAML file named or placed like a manifest (documents without apiVersion/kind are then ignored:
  // a Helm values.yaml in charts/ is read and reports nothing); compose files are compose files
  match: (path) => {
    const base = baseName(path);
    if (!/\.ya?ml$/i.test(base) || COMPOSE.test(base) || WORKFLOW.test(path)) return false;
    return KUBERNETES_NAME.test(base) || KUBERNETES_DIR.test(path);
  },
  parse(text, path) {
    const model = buildKubernetesModel(text, path);
    return {
      model,
      problems: model.problems.map((p) => ({ line: p.line, message: `Kubernetes manifest parse error: ${p.message}` })),
      limits: model.limits,
      usable: model.objects.length > 0,
    };
  },
  rules: kubernetesRules,
  // the same comments and scope as compose files (YAML): a trailing comment applies to its own
  // line, a comment line to the next line
  *comments(_model, text) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const hash = lines[i].indexOf('#');
      if (hash < 0 || !lines[i].includes(SUPPRESSION_DIRECTIVE)) continue;
      yield { line: i + 1, text: lines[i].slice(hash), own: lines[i].slice(0, hash).trim() !== '' };
    }
  },
  scope: () => ({ target: (line, own) => (own ? line : line + 1), owner: (line) => line }),
};

export const workflowKind: Kind<WorkflowModel, 'workflow'> = {
  id: 'workflow',
  title: 'GitHub Actions workflow',
  match: (path) => WORKFLOW.test(path),
  parse(text, path) {
    const model = buildWorkflowModel(text, path);
    return {
      model,
      problems: model.problems.map((p) => ({ line: p.line, message: `workflow parse error: ${p.message}` })),
      limits: model.limits,
      usable: model.problems.length === 0,
    };
  },
  rules: workflowRules,
  // YAML, like compose files: a trailing comment applies to its own line, a comment line to the next line
  comments: (_model, text) => yamlComments(text, SUPPRESSION_DIRECTIVE),
  scope: () => ({ target: (line, own) => (own ? line : line + 1), owner: (line) => line }),
};

/** Every kind the policy understands. Names of different kinds never match the same file. */
export const KINDS: readonly Kind<unknown, FileKind>[] = [dockerfileKind, composeKind, kubernetesKind, workflowKind];

export const kindById: Readonly<Record<FileKind, Kind<unknown, FileKind>>> = {
  dockerfile: dockerfileKind,
  compose: composeKind,
  kubernetes: kubernetesKind,
  workflow: workflowKind,
};

/** The kind of a file, by name (null: not a file the policy reads). */
export function kindOf(path: string): Kind<unknown, FileKind> | null {
  return KINDS.find((k) => k.match(path)) ?? null;
}

export function detectKind(path: string): FileKind | null {
  return kindOf(path)?.id ?? null;
}

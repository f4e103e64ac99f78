// Which files the policy understands, by name.
import type { FileKind } from './types.js';

const DOCKERFILE = /^(?:dockerfile|containerfile|dockerfile\.[^/]+|[^/]+\.(?:dockerfile|containerfile))$/i;
const COMPOSE = /^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$/i;
/** Template or backup copies that look like Dockerfiles by name but are not. */
const NOT_DOCKERFILE = /\.(?:ejs|hbs|j2|jinja|tmpl|tpl|orig|bak|swp|md|txt|json|ya?ml|sh|ps1|dockerignore)$/i;

export function detectKind(path: string): FileKind | null {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (COMPOSE.test(base)) return 'compose';
  if (DOCKERFILE.test(base) && !NOT_DOCKERFILE.test(base)) return 'dockerfile';
  return null;
}

import type { RuleMeta } from '../types.js';

type Base = Omit<RuleMeta, 'kind' | 'docs'>;

export function dockerfileMeta(m: Base): RuleMeta & { kind: 'dockerfile' } {
  return { ...m, kind: 'dockerfile', docs: `docs/rules/${m.id}.md` };
}
export function composeMeta(m: Base): RuleMeta & { kind: 'compose' } {
  return { ...m, kind: 'compose', docs: `docs/rules/${m.id}.md` };
}
export function engineMeta(m: Base): RuleMeta & { kind: 'any' } {
  return { ...m, kind: 'any', docs: `docs/rules/${m.id}.md` };
}

/** A Dockerfile that passes every rule; cases start from it so they test one thing. */
export const GOOD_DOCKERFILE_TAIL = `WORKDIR /app
COPY --chown=10001:10001 . .
LABEL org.opencontainers.image.source="https://example.com/app" org.opencontainers.image.revision="0000000"
USER 10001:10001
HEALTHCHECK CMD ["/app/healthcheck"]
ENTRYPOINT ["/app/server"]
`;

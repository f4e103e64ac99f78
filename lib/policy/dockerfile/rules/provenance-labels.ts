import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions } from '../facts.js';

const REQUIRED = ['org.opencontainers.image.source', 'org.opencontainers.image.revision'];

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1030',
    name: 'provenance-labels',
    principle: 'P6',
    severity: 'info',
    message: 'The final image has no provenance labels',
    description:
      'OCI labels `org.opencontainers.image.source` and `.revision` (git SHA) tie an image back to the Dockerfile and commit that built it, which is what "no docker commit" buys you: any image can be rebuilt and audited. Values usually come from build args (`--build-arg REVISION=$(git rev-parse HEAD)`). Labels set by `docker build --label` are invisible here; suppress with a reason if your CI stamps them.',
    fix: 'Add `LABEL org.opencontainers.image.source="…" org.opencontainers.image.revision="${REVISION}"` to the final stage.',
    related: ['DL3049'],
  }),
  check({ model, report }) {
    const final = model.finalStage;
    if (!final) return;
    // no LABEL anywhere (most files): every required label is missing
    if (stageInstructions(model, 'LABEL').length === 0) {
      report({ line: final.from.line, message: `The final image has no provenance labels (${REQUIRED.join(', ')})` });
      return;
    }
    const names = new Set<string>();
    for (let s: typeof final | null = final; s; s = s.parent)
      for (const i of s.instructions)
        if (i.keyword === 'LABEL') for (const p of i.properties) names.add(p.name.replace(/^["']|["']$/g, ''));
    const missing = REQUIRED.filter((r) => !names.has(r));
    if (missing.length)
      report({ line: final.from.line, message: `The final image has no provenance labels (${missing.join(', ')})` });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM alpine:3.20\nARG REVISION\nLABEL org.opencontainers.image.source="https://example.com/r" \\\n      org.opencontainers.image.revision="\${REVISION}"\n`,
    },
  ],
  invalid: [
    {
      code: `FROM alpine:3.20 AS b\nLABEL org.opencontainers.image.source=x org.opencontainers.image.revision=y\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=x\n`,
      errors: [{ rule: 'SC1030', line: 3 }],
    },
  ],
};

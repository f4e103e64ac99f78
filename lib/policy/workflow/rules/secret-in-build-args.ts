import type { RuleCases, WorkflowRule } from '../../types.js';
import { workflowMeta } from '../meta.js';
import { expressions } from '../model.js';

/** An expression that reads a secret (`secrets.X`, `secrets['X']`). */
const SECRET = /(?:^|[^\w.])secrets\s*(?:\.|\[)/;
/** A `--build-arg` on a shell line (docker build, docker buildx build, podman build, buildah). */
const BUILD_ARG_LINE = /--build-arg\b/;

const readsSecret = (s: string): boolean => expressions(s).some((e) => SECRET.test(e));

export const rule: WorkflowRule = {
  meta: workflowMeta({
    id: 'SC4004',
    name: 'secret-in-build-args',
    principle: 'P4',
    severity: 'error',
    message: 'A secret is passed as a build argument',
    description:
      'Build arguments are recorded in the image: `docker history` shows them, the max-mode provenance attestation lists them, and any `ARG` the Dockerfile turns into an `ENV` or a file ends up in a layer. A secret passed with `build-args:` or `--build-arg` leaks to everyone who can pull the image. BuildKit secret mounts (`secrets:` of docker/build-push-action, `--secret id=…,env=…`) give the build the value without writing it anywhere.',
    fix: 'Pass it as a BuildKit secret (`secrets: | name=${{ secrets.NAME }}`) and read it with `RUN --mount=type=secret,id=name`.',
  }),
  check({ model, report }) {
    for (const s of model.steps) {
      const args = s.with['build-args'];
      if (typeof args === 'string' && readsSecret(args))
        report({ line: s.lineOf('with', 'build-args'), message: `${s.label}: \`build-args\` reads a secret` });
      if (s.run !== undefined && BUILD_ARG_LINE.test(s.run) && readsSecret(s.run)) {
        // the `--build-arg` itself or a variable holding the secret: either way the value is a build arg
        const lines = s.run.split('\n');
        if (lines.some((l) => BUILD_ARG_LINE.test(l) && readsSecret(l)))
          report({ line: s.lineOf('run'), message: `${s.label}: \`--build-arg\` reads a secret` });
      }
    }
  },
};

const wf = (step: string): string => `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
${step}`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'a BuildKit secret mount',
      code: wf(`      - uses: docker/build-push-action@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a # v7.3.0
        with:
          build-args: |
            VCS_REF=\${{ github.sha }}
          secrets: |
            npm_token=\${{ secrets.NPM_TOKEN }}
`),
    },
    {
      name: 'docker build --secret',
      code: wf(`      - run: docker build --build-arg VCS_REF=\${{ github.sha }} --secret id=npm_token,env=NPM_TOKEN .
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
`),
    },
  ],
  invalid: [
    {
      name: 'a secret in build-args',
      code: wf(`      - uses: docker/build-push-action@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a # v7.3.0
        with:
          build-args: |
            NPM_TOKEN=\${{ secrets.NPM_TOKEN }}
`),
      errors: [{ rule: 'SC4004', line: 11 }],
    },
    {
      name: 'docker build --build-arg with a secret',
      code: wf(`      - run: |
          docker build \\
            --build-arg TOKEN=\${{ secrets.TOKEN }} .
`),
      errors: [{ rule: 'SC4004', line: 9 }],
    },
  ],
};

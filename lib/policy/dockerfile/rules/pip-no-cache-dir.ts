import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasCacheMount, hasOption, isPip, pipSubcommand, type Stage } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1018',
    name: 'pip-no-cache-dir',
    principle: 'P2',
    severity: 'info',
    message: 'pip install without --no-cache-dir',
    description:
      'pip keeps downloaded wheels in ~/.cache/pip, inside the layer. Only stages that end up in the final image are checked; `PIP_NO_CACHE_DIR` set in the stage or a cache mount also satisfy the rule.',
    fix: 'Use `pip install --no-cache-dir …`, `ENV PIP_NO_CACHE_DIR=1`, or `RUN --mount=type=cache,target=/root/.cache/pip`.',
    refs: ['DL3042', 'KICS:Pip install Keeping Cached Packages'],
  }),
  check({ model, report }) {
    // first line of an `ENV PIP_NO_CACHE_DIR=…` per stage, computed once (scanning the stage's
    // instructions for every RUN was quadratic in a file of many RUNs)
    const envLine = new Map<Stage, number>();
    for (const s of model.stages) {
      const i = s.instructions.find(
        (x) => x.keyword === 'ENV' && x.properties.some((p) => p.name.toUpperCase() === 'PIP_NO_CACHE_DIR'),
      );
      if (i) envLine.set(s, i.line);
    }
    for (const run of model.runs) {
      if (!run.stage.inFinalImage || hasCacheMount(run, '/root/.cache', '/home', '/tmp', '/.cache')) continue;
      const envSet = (envLine.get(run.stage) ?? Infinity) < run.instr.line;
      if (envSet) continue;
      for (const c of run.commands) {
        if (!isPip(c) || pipSubcommand(c) !== 'install') continue;
        if (hasOption(c, '--no-cache-dir') || c.assigns.some(([k]) => k === 'PIP_NO_CACHE_DIR')) continue;
        report({ line: c.line });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n` },
    { code: `FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN python -m pip install -r requirements.txt\n` },
  ],
  invalid: [
    {
      code: `FROM python:3.12-slim\nRUN python3 -m pip install -r requirements.txt\n`,
      errors: [{ rule: 'SC1018', line: 2 }],
    },
  ],
};

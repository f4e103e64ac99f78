import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasAnyOption, hasCacheMount, isPip, pipSubcommand, type Stage } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runFacts, stageInstructions } from '../facts.js';

const NO_CACHE_DIR = ['--no-cache-dir'];

const VAR = 'PIP_NO_CACHE_DIR';
/**
 * Values that say "no cache". pip itself, for backward compatibility, also disables the cache on
 * 0/false/off/no; a Dockerfile that writes those means the opposite, so they do not count.
 */
const TRUTHY = new Set(['1', 'true', 'on', 'yes']);
const truthy = (v: string | null | undefined): boolean =>
  v != null &&
  TRUTHY.has(
    v
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2')
      .toLowerCase(),
  );

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1018',
    name: 'pip-no-cache-dir',
    principle: 'P2',
    severity: 'info',
    message: 'pip install without --no-cache-dir',
    description:
      'pip keeps downloaded wheels in ~/.cache/pip, inside the layer. `--no-cache-dir`, `PIP_NO_CACHE_DIR` set to 1/true/on/yes (by ENV in the stage or a stage it is built FROM, or in the RUN), or a cache/tmpfs mount on the cache directory satisfy the rule; `PIP_NO_CACHE_DIR=0/false/off/no` does not (pip happens to disable the cache for those too, but the Dockerfile says the opposite). Only stages that end up in the final image are checked.',
    fix: 'Use `pip install --no-cache-dir …`, `ENV PIP_NO_CACHE_DIR=1`, or `RUN --mount=type=cache,target=/root/.cache/pip`.',
    sameAs: ['DL3042'],
    related: ['KICS:Pip install Keeping Cached Packages'],
  }),
  check({ model, report }) {
    if (!runFacts(model).pip) return;
    // the value of PIP_NO_CACHE_DIR at the end of each stage (a stage built FROM another inherits
    // it), and the lines where it changes: one pass, not a scan of the stage for every RUN; none
    // when no ENV sets it (most files)
    let setByEnv = false;
    const envs = stageInstructions(model, 'ENV');
    for (let k = 0; k < envs.length && !setByEnv; k++)
      for (const p of envs[k].properties) if (p.name === VAR) setByEnv = true;
    const atEnd = new Map<Stage, boolean>();
    const changes = new Map<Stage, { line: number; on: boolean }[]>();
    if (setByEnv)
      for (const s of model.stages) {
        let on = s.parent ? (atEnd.get(s.parent) ?? false) : false;
        const list: { line: number; on: boolean }[] = [];
        for (const i of s.instructions) {
          if (i.keyword !== 'ENV') continue;
          for (const p of i.properties)
            if (p.name === VAR) {
              on = truthy(p.value);
              list.push({ line: i.line, on });
            }
        }
        atEnd.set(s, on);
        changes.set(s, list);
      }
    const envOn = (s: Stage, line: number): boolean => {
      if (!setByEnv) return false;
      let on = s.parent ? (atEnd.get(s.parent) ?? false) : false;
      for (const c of changes.get(s) ?? []) if (c.line < line) on = c.on;
      return on;
    };
    for (const run of model.runs) {
      if (!run.stage.inFinalImage) continue;
      // only a RUN with a pip command can be reported (isPip needs a program named pip… or python…)
      let pip = false;
      for (let k = 0; k < run.commands.length && !pip; k++)
        pip = run.commands[k].program.charCodeAt(0) === 112 /* p */ && isPip(run.commands[k]);
      if (!pip) continue;
      // a cache mount needs a RUN --mount: most RUNs have none
      if (run.mounts.length > 0 && hasCacheMount(run, '/root/.cache', '/home', '/tmp', '/.cache')) continue;
      if (envOn(run.stage, run.instr.line)) continue;
      // `export PIP_NO_CACHE_DIR=1 && pip install …` or `PIP_NO_CACHE_DIR=1 pip install …`
      const exported = run.commands.some(
        (c) =>
          (c.program === 'export' &&
            c.cmd.slice(1).some((a) => a.startsWith(`${VAR}=`) && truthy(a.slice(VAR.length + 1)))) ||
          c.assigns.some(([k, v]) => k === VAR && truthy(v)),
      );
      if (exported) continue;
      for (const c of run.commands) {
        if (!isPip(c) || pipSubcommand(c) !== 'install') continue;
        if (hasAnyOption(c, NO_CACHE_DIR)) continue;
        report({ line: c.line });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { from: ['DL3042'], code: `FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n` },
    { code: `FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN python -m pip install -r requirements.txt\n` },
    {
      name: 'flag after the package',
      from: ['DL3042'],
      code: `FROM python:3.12-slim\nRUN pip2 install MySQL_python --no-cache-dir\n`,
    },
    {
      name: 'pip3 with the flag',
      from: ['DL3042'],
      code: `FROM python:3.12-slim\nRUN pip3 install --no-cache-dir MySQL_python\n`,
    },
    { name: 'pipx is not pip', from: ['DL3042'], code: `FROM python:3.12-slim\nRUN pipx install software\n` },
    { name: 'pipenv is not pip', from: ['DL3042'], code: `FROM python:3.12-slim\nRUN pipenv install library\n` },
    ...['1', 'on', 'yes', 'true'].flatMap((v) => [
      {
        name: `ENV PIP_NO_CACHE_DIR=${v}`,
        from: ['DL3042'],
        code: `FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=${v}\nRUN pip install MySQL_python\n`,
      },
      {
        name: `RUN PIP_NO_CACHE_DIR=${v} pip install`,
        from: ['DL3042'],
        code: `FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=${v} pip install MySQL_python\n`,
      },
      {
        name: `RUN export PIP_NO_CACHE_DIR=${v}`,
        from: ['DL3042'],
        code: `FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=${v} && pip install MySQL_python\n`,
      },
    ]),
    {
      name: 'inherited from the parent stage',
      from: ['DL3042'],
      code: `FROM debian:12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install six\n`,
    },
    {
      name: 'cache mount on the cache directory',
      from: ['DL3042'],
      code: `FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install foobar\n`,
    },
    {
      name: 'tmpfs mount on the cache directory',
      from: ['DL3042'],
      code: `FROM python:3.12-slim\nRUN --mount=type=tmpfs,target=/root/.cache/pip pip install foobar\n`,
    },
  ],
  invalid: [
    {
      code: `FROM python:3.12-slim\nRUN python3 -m pip install -r requirements.txt\n`,
      errors: [{ rule: 'SC1018', line: 2 }],
    },
    ...['pip', 'pip2', 'pip3'].map((p) => ({
      name: `${p} without the flag`,
      from: ['DL3042'],
      code: `FROM python:3.12-slim\nRUN ${p} install MySQL_python\n`,
      errors: [{ rule: 'SC1018', line: 2 }],
    })),
    ...['0', 'off', 'no', 'false'].flatMap((v) => [
      {
        name: `ENV PIP_NO_CACHE_DIR=${v}`,
        from: ['DL3042'],
        code: `FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=${v}\nRUN pip install MySQL_python\n`,
        errors: [{ rule: 'SC1018', line: 3 }],
      },
      {
        name: `RUN PIP_NO_CACHE_DIR=${v} pip install`,
        from: ['DL3042'],
        code: `FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=${v} pip install MySQL_python\n`,
        errors: [{ rule: 'SC1018', line: 2 }],
      },
      {
        name: `RUN export PIP_NO_CACHE_DIR=${v}`,
        from: ['DL3042'],
        code: `FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=${v} && pip install MySQL_python\n`,
        errors: [{ rule: 'SC1018', line: 2 }],
      },
    ]),
    {
      name: 'not inherited from an unrelated stage',
      from: ['DL3042'],
      code: `FROM debian:12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM debian:12\nRUN pip install six\n`,
      errors: [{ rule: 'SC1018', line: 4 }],
    },
  ],
};

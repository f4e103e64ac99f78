// Facts about a Dockerfile model that several rules ask for, computed once per model: which
// programs the RUN commands start, whether any is wrapped in sudo, sets a variable for itself, or
// runs pip. A rule whose programs are not there returns at once instead of
// walking every command of every RUN again.
import { isPip, type DockerfileModel } from './model.js';

export interface RunFacts {
  /** SimpleCommand.program of every command of every RUN (model.runs) */
  programs: Set<string>;
  /** some command is wrapped in sudo/doas (SimpleCommand.sudo) */
  sudo: boolean;
  /** some command has leading VAR=value assignments */
  assigns: boolean;
  /** some command is pip or python -m pip (isPip) */
  pip: boolean;
}

/**
 * The facts of the model asked last. The engine runs every rule of a file before the next file, so
 * one entry is enough; a WeakMap holding an entry a model made garbage collection of a 5,000-file
 * batch measurably slower (ephemerons). The entry keeps one model alive until the next is asked.
 */
let memo: { model: DockerfileModel; facts: RunFacts } | null = null;

export function runFacts(model: DockerfileModel): RunFacts {
  if (memo?.model !== model) {
    const f: RunFacts = { programs: new Set(), sudo: false, assigns: false, pip: false };
    for (const run of model.runs)
      for (const c of run.commands) {
        f.programs.add(c.program);
        if (c.sudo) f.sudo = true;
        if (c.assigns.length > 0) f.assigns = true;
        if (!f.pip && isPip(c)) f.pip = true;
      }
    memo = { model, facts: f };
  }
  return memo.facts;
}

/** Whether any of `programs` is started by a RUN command of the model. */
export function runsAny(model: DockerfileModel, programs: readonly string[]): boolean {
  const have = runFacts(model).programs;
  for (const p of programs) if (have.has(p)) return true;
  return false;
}

// Parse a generated Dockerfile with dockerfile-ast into a small model the tests assert on, and
// the invariants every generated Dockerfile must hold (used by generator and property tests).
import { DockerfileParser, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';

export interface Instr {
  keyword: string;
  line: number;
  args: string;
  flags: Partial<Record<string, string | null>>;
  /** every flag as name=value, in order (RUN may repeat --mount) */
  flagList: string[];
  /** the instruction's full text including flags, continuation lines joined */
  raw: string;
  /** exec-form JSON strings, or null for shell form */
  json: string[] | null;
}
export interface Stage {
  image: string;
  name: string | null;
  instructions: Instr[];
}

export function parseDockerfile(text: string): Stage[] {
  const df = DockerfileParser.parse(text);
  const lines = text.split('\n');
  const stages: Stage[] = [];
  for (const instr of df.getInstructions()) {
    const keyword = instr.getKeyword();
    const flags: Record<string, string | null> = {};
    const flagList: string[] = [];
    if (instr instanceof ModifiableInstruction) {
      for (const f of instr.getFlags()) {
        flags[f.getName()] = f.getValue();
        flagList.push(`${f.getName()}=${f.getValue() ?? ''}`);
      }
    }
    const r = instr.getRange();
    const raw = lines
      .slice(r.start.line, r.end.line + 1)
      .map((l) => l.replace(/\\$/, ''))
      .join(' ');
    // exec form: dockerfile-ast finds the JSON array; the values come from JSON.parse of its text
    let json: string[] | null = null;
    if (instr instanceof JSONInstruction && instr.getOpeningBracket()) {
      const raw = instr.getArgumentsContent() ?? '';
      try {
        json = JSON.parse(raw.slice(raw.indexOf('['))) as string[];
      } catch {
        json = null;
      }
    }
    const i: Instr = {
      keyword,
      line: r.start.line + 1,
      args: instr.getArgumentsContent() ?? '',
      flags,
      flagList,
      raw,
      json,
    };
    if (keyword === 'FROM') {
      const parts = (instr.getArgumentsContent() ?? '').split(/\s+/);
      stages.push({ image: parts[0], name: parts[2] ?? null, instructions: [] });
      continue;
    }
    if (!stages.length) continue; // ARGs before the first FROM
    stages[stages.length - 1].instructions.push(i);
  }
  return stages;
}

export interface Expect {
  uid: number;
  gid: number;
  port: number;
  dataDirs: string[];
}

/** Every violation of the structure issue #2 requires, as text (empty = all good). */
export function dockerfileViolations(text: string, e: Expect): string[] {
  const v: string[] = [];
  const stages = parseDockerfile(text);
  // the official frontend, or the same image through the registry mirror (P3)
  if (!/^# syntax=(?:[a-z0-9.:-]+(?:\/[a-z0-9._-]+)*\/docker\.io\/)?docker\/dockerfile:1\n/.test(text))
    v.push('the syntax directive is not the first line');
  if (stages.length < 2) v.push('not multi-stage');
  const final = stages[stages.length - 1];
  const names = stages.map((s) => s.name).filter(Boolean);
  if (new Set(names).size !== names.length) v.push('duplicate stage names');
  for (const s of stages) {
    if (s.image !== 'scratch' && !names.includes(s.image)) {
      const tag = s.image.includes('@') ? 'digest' : /:[^/]+$/.test(s.image) ? s.image.split(':').pop() : null;
      if (!tag) v.push(`untagged image ${s.image}`);
      if (tag === 'latest') v.push(`latest tag ${s.image}`);
    }
    for (const i of s.instructions) {
      if (i.keyword === 'ADD') v.push(`ADD at line ${i.line}`);
      if (i.keyword === 'WORKDIR' && !i.args.startsWith('/')) v.push(`relative WORKDIR at line ${i.line}`);
      if (
        (i.keyword === 'ARG' || i.keyword === 'ENV') &&
        /(secret|password|token|api_?key)/i.test(i.args.split('=')[0])
      )
        v.push(`secret-looking ${i.keyword} at line ${i.line}`);
      if (i.keyword === 'COPY' && i.flags['link'] !== undefined) v.push('COPY --link (buildah rejects it)');
      if (i.keyword === 'RUN' && /<</.test(i.args)) v.push('heredoc (buildah rejects it)');
      if (i.keyword === 'RUN' && i.flagList.some((f) => /type=secret.*,env=/.test(f)))
        v.push('secret mount to env (buildah rejects it)');
      if (i.keyword === 'RUN' && /\b(curl|wget)\b[^|]*\|\s*(sh|bash)/.test(i.args)) v.push('curl | sh');
    }
  }
  const users = final.instructions.filter((i) => i.keyword === 'USER');
  const user = users.at(-1)?.args;
  if (user !== `${e.uid}:${e.gid}`) v.push(`final USER is ${user ?? 'missing'}, expected ${e.uid}:${e.gid}`);
  if (user && /^(0|root)(:|$)/.test(user)) v.push('final USER is root');
  const starts = final.instructions.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
  if (starts.length !== 1) v.push(`final stage has ${starts.length} ENTRYPOINT/CMD, expected 1`);
  else if (!starts[0].json) v.push('ENTRYPOINT is not exec form');
  else if (starts[0].json.some((t) => /^(npm|yarn|pnpm|sh|bash|supervisord)$/.test(t.split('/').pop()!)))
    v.push('ENTRYPOINT goes through a package manager or shell');
  const hc = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
  if (hc.length !== 1) v.push('final stage needs exactly one HEALTHCHECK');
  else if (!/CMD \[/.test(hc[0].args)) v.push('HEALTHCHECK is not exec form (distroless has no shell)');
  const expose = final.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args);
  if (expose.join() !== String(e.port)) v.push(`EXPOSE ${expose.join()} instead of ${e.port}`);
  const wd = final.instructions.find((i) => i.keyword === 'WORKDIR');
  if (!wd) v.push('final stage has no WORKDIR');
  for (const label of ['source', 'revision', 'version', 'created']) {
    if (!final.instructions.some((i) => i.keyword === 'LABEL' && i.args.includes(`org.opencontainers.image.${label}=`)))
      v.push(`missing OCI label ${label}`);
  }
  // application files are owned by root: only data directories are chowned to the app user
  for (const c of final.instructions.filter((i) => i.keyword === 'COPY')) {
    const dest = c.args.split(/\s+/).pop()!;
    if (c.flags['chown'] !== undefined && !e.dataDirs.some((d) => dest === `${d}/`))
      v.push(`COPY --chown to ${dest} (app files must stay root-owned)`);
  }
  for (const d of e.dataDirs) {
    if (
      !final.instructions.some(
        (i) => i.keyword === 'COPY' && i.flags['chown'] === `${e.uid}:${e.gid}` && i.args.endsWith(` ${d}/`),
      )
    )
      v.push(`data dir ${d} not created owned by the app user`);
  }
  // the lockfile/manifest is copied and installed before the sources in the first stage; a build that
  // installs no dependency (a plain static site, Hugo built from its Go module: no manifest is copied)
  // and Deno (its module cache is the product, shipped in the image: no cache mount) are exempt below
  const first = stages[0];
  const copyAll = first.instructions.findIndex((i) => i.keyword === 'COPY' && /^\.\s+\.$/.test(i.args.trim()));
  // the dependency install: the first RUN with a cache mount (a toolchain setup such as `apk add musl-dev` may come first)
  const cached = first.instructions.findIndex(
    (i) => i.keyword === 'RUN' && i.flagList.some((f) => f.startsWith('mount=type=cache,')),
  );
  const install = cached >= 0 ? cached : first.instructions.findIndex((i) => i.keyword === 'RUN');
  const manifestCopy = first.instructions.findIndex((i) => i.keyword === 'COPY' && !/^\.\s/.test(i.args));
  const installs = first.instructions.some(
    (i) => i.keyword === 'COPY' && !/^\.\s/.test(i.args) && i.flags['from'] === undefined,
  );
  const shipsCache = first.instructions.some((i) => i.keyword === 'ENV' && /^DENO_DIR=/.test(i.args));
  if (installs && (manifestCopy < 0 || install < 0 || manifestCopy > install))
    v.push('manifest/lockfile not copied before the dependency install');
  if (copyAll >= 0 && copyAll < manifestCopy) v.push('sources copied before the lockfile');
  if (
    installs &&
    !shipsCache &&
    !first.instructions.some((i) => i.keyword === 'RUN' && i.flagList.some((f) => f.startsWith('mount=type=cache,')))
  )
    v.push('no BuildKit cache mount on the install step');
  return v;
}

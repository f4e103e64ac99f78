import { parseImage, type ParsedImage } from '../../image.js';
import { movingTag } from '../../rules/moving-tag.js';
import type { DockerfileRule, Report, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import type { Stage } from '../model.js';
import { stageInstructions } from '../facts.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1005',
    name: 'trusted-base-image',
    principle: 'P3',
    severity: 'warning',
    message: 'Base image is not from an allowed registry',
    description:
      "Anyone can publish an image to a public registry namespace. Base images should come from official or vendor-maintained sources (Docker Official Images, distroless, Chainguard, vendor registries) or from the team's mirror. The allow-list is configurable (`allowedRegistries` in `.secure-container.yaml` or a team preset); `scratch` and stage names are never flagged.",
    fix: 'Use an official/vendor image or your internal mirror, or add the registry to `allowedRegistries`.',
    related: ['DL3026', 'CIS-4.2'],
  }),
  check({ model, report, config }) {
    // the `# syntax=` frontend is an image BuildKit pulls and runs before any FROM: judged the same way
    if (model.syntax && !config.isAllowedImage(model.syntax.image))
      report({
        line: model.syntax.line,
        message: `Dockerfile frontend ${model.syntax.ref} (# syntax=) is not from an allowed registry (${model.syntax.image.full})`,
      });
    // COPY --from sources: stage names/indexes, or images (`COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/`)
    // made on the first COPY --from (most files have none)
    let copied: Set<string> | null = null;
    let copyImages: { line: number; ref: string }[] | null = null;
    // stage names: only asked for a COPY --from (most files have none)
    let names: Set<string> | null = null;
    const copies = stageInstructions(model, 'COPY');
    for (let k = 0; k < copies.length; k++) {
      const ins = copies[k];
      const from = ins.flags.size > 0 ? ins.flags.get('from') : undefined;
      if (from === undefined) continue;
      names ??= new Set(model.stages.map((s) => s.name).filter((n): n is string => n !== null));
      for (const v of from) {
        const ref = v.trim();
        const key = ref.toLowerCase();
        if (names.has(key) || /^\d+$/.test(ref)) (copied ??= new Set()).add(key);
        else if (ref !== '' && !ref.includes('$')) (copyImages ??= []).push({ line: ins.line, ref });
      }
    }
    // stages something is built FROM: only asked for a stage that may be a copy source
    let parents: Set<Stage> | null = null;
    const stages = model.stages;
    for (let k = 0; k < stages.length; k++) {
      const s = stages[k];
      if (s.parent || s.image.scratch || s.image.unresolved || config.isAllowedImage(s.image)) continue;
      // a stage that is only a COPY --from source (no instruction of its own, nothing built on it,
      // not the final image): its files are copied, it is not a base (see copySource)
      const copySource =
        !s.isFinal &&
        s.instructions.length === 0 &&
        copied !== null &&
        !(parents ??= new Set(model.stages.map((x) => x.parent).filter((p) => p !== null))).has(s) &&
        ((s.name !== null && copied.has(s.name)) || copied.has(String(s.index)));
      if (copySource) copySourceReport(report, s.from.line, s.image);
      else
        report({
          line: s.from.line,
          message: `Base image ${s.image.ref} is not from an allowed registry (${s.image.full})`,
        });
    }
    if (copyImages !== null)
      for (const c of copyImages) {
        const img = parseImage(c.ref);
        if (!config.isAllowedImage(img)) copySourceReport(report, c.line, img);
      }
  },
};

/**
 * An image used only as a `COPY --from` source (a vendor's binary image such as
 * ghcr.io/astral-sh/uv): nothing of it runs in the build or in the final image but the files copied,
 * so it is not an untrusted base. Pinned (a digest, or a version tag: `uv:0.5.11`), no finding; no
 * tag, `latest` or another moving tag (SC1031's notion), an info finding: what is copied changes
 * whenever the tag is re-pushed (`COPY --from=someone/tools / /` takes a whole root filesystem).
 */
function copySourceReport(report: (r: Report) => void, line: number, img: ParsedImage): void {
  if (img.digest) return;
  if (img.tag !== null && img.tag !== 'latest' && movingTag(img) === null) return;
  report({
    line,
    severity: 'info',
    message: `Image ${img.ref}, used only as a COPY --from source, is not from an allowed registry (${img.full}) and not pinned (${img.tag === null ? 'no tag' : `tag ${img.tag}`})`,
    fix: `Pin it to a version tag or by digest (\`${img.ref.split('@')[0]}@sha256:…\`): the files copied cannot change under it; or add the registry to \`allowedRegistries\`.`,
  });
}

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM node:22-alpine\nFROM docker.io/library/python:3.12-slim\nFROM gcr.io/distroless/base-debian12:nonroot\nFROM cgr.dev/chainguard/static:latest\n`,
    },
    {
      code: `FROM hashicorp/vault:1.18\nFROM mcr.microsoft.com/dotnet/runtime:8.0\nFROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\n`,
    },
    {
      name: 'configured mirror',
      code: `FROM registry.example.com/base/node:22\n`,
      config: { allowedRegistries: ['registry.example.com/base'] },
    },
    { name: 'unresolved ARG is not judged', code: `ARG BASE\nFROM \${BASE}\n` },
    { name: 'the official frontend', code: `# syntax=docker/dockerfile:1\nFROM node:22\n` },
    {
      name: 'the frontend through the mirror',
      code: `# syntax=registry.example.com/hub/docker.io/docker/dockerfile:1\nFROM registry.example.com/hub/docker.io/library/node:22\n`,
      config: { allowedRegistries: ['registry.example.com/hub'] },
    },
    { name: 'not a directive after an instruction', code: `FROM node:22\n# syntax=someone/frontend:1\n` },
    {
      name: 'a vendor image by version tag, only a COPY --from source',
      code: `FROM ghcr.io/astral-sh/uv:0.5.11 AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\nCOPY --from=ghcr.io/astral-sh/uv:0.9.26 /uvx /bin/uvx\n`,
    },
    {
      name: 'a vendor image pinned by digest, only a COPY --from source',
      code: `FROM ghcr.io/astral-sh/uv@sha256:${'a'.repeat(64)} AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\nCOPY --from=ghcr.io/astral-sh/uv:0.5@sha256:${'b'.repeat(64)} /uvx /bin/uvx\n`,
    },
  ],
  invalid: [
    { code: `FROM someone/node:22\n`, errors: [{ rule: 'SC1005', line: 1 }] },
    { code: `FROM node:22\nFROM quay.io/x/y:1\n`, errors: [{ rule: 'SC1005', line: 2 }] },
    {
      name: 'default allow-list replaced',
      code: `FROM node:22\n`,
      config: { allowedRegistries: ['registry.example.com'] },
      errors: [{ rule: 'SC1005', line: 1 }],
    },
    {
      name: 'a frontend outside the allow-list',
      code: `# syntax=someone/dockerfile-frontend:1\nFROM node:22\n`,
      errors: [{ rule: 'SC1005', line: 1 }],
    },
    {
      name: 'the public frontend with a mirror-only allow-list',
      code: `# syntax=docker/dockerfile:1\nFROM registry.example.com/hub/docker.io/library/node:22\n`,
      config: { allowedRegistries: ['registry.example.com/hub'] },
      errors: [{ rule: 'SC1005', line: 1 }],
    },
    {
      name: 'an unpinned image, only a COPY --from source (info)',
      code: `FROM ghcr.io/astral-sh/uv:latest AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\nCOPY --from=someone/tools / /\n`,
      errors: [
        { rule: 'SC1005', line: 1 },
        { rule: 'SC1005', line: 4 },
      ],
    },
    {
      name: 'a stage that runs something is a base, whatever copies from it',
      code: `FROM ghcr.io/astral-sh/uv:0.5.11 AS uv\nRUN uv --version\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\n`,
      errors: [{ rule: 'SC1005', line: 1 }],
    },
    {
      name: 'prefix must match whole segments',
      code: `FROM gcr.io/distroless-fake/x:1\n`,
      errors: [{ rule: 'SC1005', line: 1 }],
    },
  ],
};

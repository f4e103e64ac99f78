// Tags that move like `latest` (P7): shared by the Dockerfile and compose rules (SC1031, SC2022).
import type { ParsedImage } from '../image.js';

/** Release channels: a tag made with one of these words follows the channel, not a version. */
const CHANNELS = new Set([
  'latest',
  'lts',
  'current',
  'stable',
  'edge',
  'rolling',
  'mainline',
  'nightly',
  'testing',
  'unstable',
  'sid',
  'rawhide',
  'tumbleweed',
  'next',
  'canary',
  'main',
  'master',
  'dev',
  'devel',
  'develop',
  'rc',
  'beta',
  'alpha',
  'preview',
]);

/**
 * Official images of runtimes whose release lines are minor versions (3.12, 1.23): a major-only
 * tag (`python:3`, `golang:1-alpine`) spans many breaking releases. Images that version by major
 * (`node:22`, `postgres:17`, `eclipse-temurin:21`) name a release line with the major alone.
 */
const MINOR_LINES = new Set(['python', 'pypy', 'golang', 'rust', 'ruby', 'php', 'perl', 'julia', 'elixir']);

/** Distributions whose digit-less tags are release code names (`debian:bookworm`, `ubuntu:noble`). */
const CODENAMES = new Set(['debian', 'ubuntu', 'buildpack-deps']);

/**
 * A channel word as a whole part of a lower-cased tag (parts are separated by `-`, `.` and `_`): the
 * first match is the first such part, what tag.split(/[-._]/).find(…) gave, without the array (one
 * regular expression is cheaper than either in the interpreter a batch audit runs in).
 */
const CHANNEL_PART = new RegExp(`(?:^|[-._])(${[...CHANNELS].join('|')})(?=$|[-._])`);

/** The last part of the repository path, lower-cased (`library/Python` → `python`). */
const repoName = (img: ParsedImage): string => img.repository.slice(img.repository.lastIndexOf('/') + 1).toLowerCase();

/**
 * Why the tag of `img` moves like `latest`, or null when it names a version. `latest` itself, a
 * missing tag and digests are not judged here (SC1003/SC1004 report the first two; a digest pins).
 * Moving: a channel word (`lts-alpine`, `stable`, `edge`, `main`), a tag without any version digit
 * (`alpine`, `slim`, `jre`) unless the repository name carries the version (`static-debian12:nonroot`)
 * or it is a distribution code name, and a major-only tag of a runtime released in minor lines.
 */
export function movingTag(img: ParsedImage): string | null {
  const tag = img.tag;
  if (!tag || img.digest || img.scratch || img.unresolved || tag === 'latest') return null;
  const channel = CHANNEL_PART.exec(tag.toLowerCase())?.[1];
  if (channel) return `"${channel}" is a release channel, not a version`;
  const official = img.registry === 'docker.io' && img.repository.startsWith('library/');
  if (!/\d/.test(tag)) {
    const repo = repoName(img);
    if (/\d/.test(repo)) return null;
    if (official && CODENAMES.has(repo)) return null;
    return 'the tag has no version number';
  }
  // only an official runtime image released in minor lines is judged further (most are not)
  if (!official) return null;
  const repo = repoName(img);
  if (!MINOR_LINES.has(repo)) return null;
  // the version is what comes before the variant: "3-slim" → "3", "1.23-alpine" → "1.23"
  const version = tag.split(/[-_]/)[0];
  if (/^\d+$/.test(version)) return `${repo}:${version} spans every ${repo} ${version}.x release`;
  return null;
}

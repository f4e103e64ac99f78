import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

const DISTROS = new Set([
  'ubuntu',
  'debian',
  'centos',
  'fedora',
  'rockylinux',
  'almalinux',
  'oraclelinux',
  'amazonlinux',
  'archlinux',
  'opensuse/leap',
  'opensuse/tumbleweed',
  'buildpack-deps',
]);
const LANGS = new Set([
  'node',
  'python',
  'ruby',
  'golang',
  'openjdk',
  'eclipse-temurin',
  // not php: every Debian variant of the official php image (cli, fpm, apache, zts) is built FROM
  // debian:<suite>-slim (docker-library/php's Dockerfile template)
  'perl',
  'rust',
  'maven',
  'gradle',
  'elixir',
  'erlang',
  'haskell',
  'julia',
  'swift',
]);
const SLIM = /(?:^|[-.])(?:slim|minimal|alpine|distroless|micro|busybox|jre|jre-alpine)(?:$|[-.0-9])/i;

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1019',
    name: 'no-full-distro-final-stage',
    principle: 'P2',
    severity: 'warning',
    message: 'The final stage is a full Linux distribution',
    description:
      'A full distribution (ubuntu, debian, centos, fedora…, or a language image built on one such as `node:22` or `python:3.12`) ships a shell, package manager, compilers and hundreds of packages the app never uses: a larger attack surface and more CVEs to triage. Build in a full image if you must, but ship a distroless, scratch, Chainguard, Alpine or -slim/-minimal final stage. Official Docker Hub images only; other registries are not judged.',
    fix: 'Use a multi-stage build whose final stage is distroless, scratch, a Chainguard/Wolfi image, Alpine or a -slim/-minimal variant.',
  }),
  check({ model, report }) {
    let s = model.finalStage;
    while (s?.parent) s = s.parent;
    const final = model.finalStage;
    if (!s || !final || s.image.unresolved || s.image.scratch || s.image.registry !== 'docker.io') return;
    const repo = s.image.repository.replace(/^library\//, '');
    const tag = s.image.tag ?? 'latest';
    if ((DISTROS.has(repo) || LANGS.has(repo)) && !SLIM.test(tag))
      report({ line: final.from.line, message: `The final stage is a full Linux distribution (${s.image.ref})` });
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM node:22 AS build\nRUN npm ci\nFROM node:22-alpine\n` },
    { code: `FROM debian:12-slim\n` },
    { code: `FROM python:3.12-slim-bookworm\n` },
    { code: `FROM eclipse-temurin:21-jre-alpine\n` },
    { code: `FROM composer:2 AS build\nFROM php:8.3-fpm-bookworm\n` },
  ],
  invalid: [
    { code: `FROM node:22-alpine AS build\nFROM ubuntu:24.04\n`, errors: [{ rule: 'SC1019', line: 2 }] },
    { code: `FROM python:3.12\n`, errors: [{ rule: 'SC1019', line: 1 }] },
    {
      name: 'through a stage chain',
      code: `FROM debian:12 AS base\nFROM base AS final\n`,
      errors: [{ rule: 'SC1019', line: 2 }],
    },
  ],
};

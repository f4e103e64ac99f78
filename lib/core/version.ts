import { readFileSync } from 'node:fs';

/** The generator's own package name and version, read once from package.json (stamped into every header). */
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const GENERATOR_NAME: string = pkg.name;
export const GENERATOR_VERSION: string = pkg.version;

import { readFileSync } from 'node:fs';
import { packagePath } from './paths.js';

/** The generator's own package name and version, read once from package.json (stamped into every header). */
const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string; version: string };

export const GENERATOR_NAME: string = pkg.name;
export const GENERATOR_VERSION: string = pkg.version;

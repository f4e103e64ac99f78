import { readFileSync } from 'node:fs';
import { packagePath } from './paths.js';

/** The generator's own package name and version, read once from package.json (stamped into every header). */
const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string; version: string };

export const GENERATOR_NAME: string = pkg.name;
export const GENERATOR_VERSION: string = pkg.version;
/**
 * How every command we print starts. npx with the bin name alone would fetch the unrelated
 * registry package of that name: the package name is ours, its bin runs (see package.json "bin").
 */
export const CLI_COMMAND = `npx ${GENERATOR_NAME}`;

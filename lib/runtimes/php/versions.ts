// The PHP versions this runtime can build: FrankenPHP publishes dunglas/frankenphp:1-php<minor>-bookworm
// and -alpine for PHP 8.2 to 8.5 (docker-bake.hcl in php/frankenphp).
import type { Flavor } from '../../core/types.js';

export const PHP_MINORS: readonly string[] = ['8.2', '8.3', '8.4', '8.5'];
export const PHP_DEFAULT = '8.4';

export const PHP_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  slim: PHP_MINORS,
  alpine: PHP_MINORS,
};

// ContainerSpec -> .dockerignore: the secret patterns every build context must exclude (P4, with
// the reason for each group) and the runtime's own dependency, build and cache directories.
import type { ContainerSpec } from '../core/types.js';
import { secretPatternGroups } from '../policy/context.js';
import { tidy } from './dockerfile.js';
import { template } from './templates.js';

export function renderDockerignore(s: ContainerSpec): string {
  return tidy(
    template('dockerignore.ejs')({
      s,
      ignore: s.dockerignore,
      secretGroups: [
        ...secretPatternGroups(s.runtime),
        ...(s.layout.codeDirs?.length
          ? [
              {
                why: 'code, not secrets: these directories hold only source files (found in this repository)',
                patterns: s.layout.codeDirs.map((d) => `!${d}`),
              },
            ]
          : []),
      ],
    }),
  );
}

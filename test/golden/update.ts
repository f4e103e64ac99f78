// `npm run golden:update`: regenerate every golden tree under test/golden/<scenario>/.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GOLDEN_DIR, generateScenario, SCENARIOS } from './scenarios.js';

for (const s of SCENARIOS) {
  const files = await generateScenario(s);
  const dir = join(GOLDEN_DIR, s.name);
  rmSync(dir, { recursive: true, force: true });
  for (const [p, text] of files) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  process.stdout.write(`${s.name}: ${files.size} files\n`);
}

// A finding's fix hint names the finding's own values where the rule knows them (issue 12: the
// SC2009 fix said `127.0.0.1:8080:8080` whatever the port was).
import { describe, expect, it } from '@jest/globals';
import { auditCompose } from '../../lib/policy/index.js';

describe('fix hints with the real values', () => {
  it('SC2009 suggests binding the published port that was found', () => {
    const yaml = 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "3000:3000"\n      - "9443:443"\n';
    const fixes = auditCompose(yaml, 'compose.yaml')
      .filter((f) => f.rule === 'SC2009')
      .map((f) => f.fix);
    expect(fixes).toEqual([
      'Use `"127.0.0.1:3000:3000"` (or the specific interface address).',
      'Use `"127.0.0.1:9443:443"` (or the specific interface address).',
    ]);
  });
});

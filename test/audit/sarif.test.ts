import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { allRules } from '../../lib/policy/index.js';
import { run, tempRepo } from './helpers.js';

// The parts of the SARIF 2.1.0 schema (oasis-tcs/sarif-spec) that GitHub code scanning requires, plus
// the fields we promise. No npm package ships the official schema file, so the subset is written here.
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  version: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: [
                        'id',
                        'name',
                        'shortDescription',
                        'fullDescription',
                        'help',
                        'defaultConfiguration',
                        'properties',
                      ],
                      properties: {
                        id: { type: 'string' },
                        name: { type: 'string' },
                        shortDescription: {
                          type: 'object',
                          required: ['text'],
                          properties: { text: { type: 'string', minLength: 1 } },
                        },
                        fullDescription: {
                          type: 'object',
                          required: ['text'],
                          properties: { text: { type: 'string', minLength: 1 } },
                        },
                        help: {
                          type: 'object',
                          required: ['text'],
                          properties: { text: { type: 'string' }, markdown: { type: 'string' } },
                        },
                        helpUri: { type: 'string', format: 'uri' },
                        defaultConfiguration: {
                          type: 'object',
                          required: ['level'],
                          properties: { level: { enum: ['none', 'note', 'warning', 'error'] } },
                        },
                        properties: {
                          type: 'object',
                          required: ['tags', 'security-severity'],
                          properties: {
                            tags: { type: 'array', items: { type: 'string' } },
                            'security-severity': { type: 'string', pattern: '^\\d+(\\.\\d+)?$' },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'level', 'message', 'locations'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: {
                            type: 'object',
                            required: ['uri'],
                            // relative, forward slashes, no scheme
                            properties: {
                              uri: { type: 'string', pattern: '^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)[^\\\\]+$' },
                              uriBaseId: { type: 'string' },
                            },
                          },
                          region: {
                            type: 'object',
                            required: ['startLine'],
                            properties: { startLine: { type: 'integer', minimum: 1 } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

describe('SARIF output', () => {
  it('is valid SARIF 2.1.0 for GitHub code scanning', async () => {
    const dir = tempRepo({
      'svc/api/Dockerfile': 'FROM node:latest\nUSER root\nRUN curl -s x | sh\n',
      'compose.yaml': 'services:\n  a:\n    image: x:1\n    privileged: true\n',
      'bin/Dockerfile': Buffer.from([0, 1, 2]),
    });
    const { out, code } = await run(['--format', 'sarif'], dir);
    expect(code).toBe(1);
    const log = JSON.parse(out);
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const ok = ajv.validate(SARIF_SUBSET, log);
    expect(ajv.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(allRules.map((r) => r.meta.id));
    for (const r of run0.results) expect(run0.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const uris = new Set(
      run0.results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      ),
    );
    expect(uris).toEqual(new Set(['svc/api/Dockerfile', 'compose.yaml', 'bin/Dockerfile']));
    const root = run0.results.find((r: { ruleId: string }) => r.ruleId === 'SC1001');
    expect(root.level).toBe('error');
    expect(root.locations[0].physicalLocation.region.startLine).toBe(2);
  });

  it('carries sameAs as "equal" and related as "relevant" relationships, and links every rule to its doc', async () => {
    const dir = tempRepo({ Dockerfile: 'FROM node:22-alpine\nUSER 10001\nCMD ["node", "a.js"]\n' });
    const { out } = await run(['--format', 'sarif'], dir);
    const driver = JSON.parse(out).runs[0].tool.driver;
    interface Rel {
      target: { id: string; toolComponent: { name: string } };
      kinds: string[];
    }
    const byId = new Map<string, { relationships?: Rel[]; helpUri?: string }>(
      driver.rules.map((r: { id: string }) => [r.id, r]),
    );
    const rels = byId.get('SC1015')?.relationships ?? [];
    expect(rels).toContainEqual({ target: { id: 'DL3009', toolComponent: { name: 'hadolint' } }, kinds: ['equal'] });
    expect(rels).toContainEqual({ target: { id: 'DS-0019', toolComponent: { name: 'trivy' } }, kinds: ['equal'] });
    expect(rels).toContainEqual({
      target: { id: 'Apt Get Install Lists Were Not Deleted', toolComponent: { name: 'KICS' } },
      kinds: ['relevant'],
    });
    expect(byId.get('SC2006')?.relationships).toEqual([
      { target: { id: 'Docker Socket Mounted In Container', toolComponent: { name: 'KICS' } }, kinds: ['equal'] },
      { target: { id: '5.32', toolComponent: { name: 'CIS Docker Benchmark 1.6.0' } }, kinds: ['relevant'] },
    ]);
    // every relationship of every rule is one of its sameAs/related ids, in that order
    for (const r of allRules) {
      const got = (byId.get(r.meta.id)?.relationships ?? []).map((x) => x.kinds[0]);
      expect(got).toEqual([...r.meta.sameAs.map(() => 'equal'), ...r.meta.related.map(() => 'relevant')]);
    }
    // package.json names the repository: helpUri points at the rule page on its default branch
    expect(byId.get('SC1001')?.helpUri).toBe(
      'https://github.com/secure-container/generator-secure-container/blob/main/docs/rules/SC1001.md',
    );
    expect(driver.informationUri).toBe('https://github.com/secure-container/generator-secure-container/blob/main/');
  });
});

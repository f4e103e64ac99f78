// Compose files audited as Compose merges them (issue 12 item 2): base + override, base + a `-f`
// variant; findings at the line of the file that set the value, never twice for one setting.
// Fixtures are modelled on common real layouts (a Django/Flask app with postgres and redis, a dev
// override publishing ports and mounting the source, a prod file adding a proxy).
import { describe, expect, it } from '@jest/globals';
import { auditComposeSet } from '../../lib/policy/engine.js';
import { composeRole } from '../../lib/audit/compose-set.js';
import { mergeComposeModels } from '../../lib/policy/compose/merge.js';
import { buildComposeModel } from '../../lib/policy/compose/model.js';
import { run, tempRepo } from './helpers.js';

interface JsonFinding {
  rule: string;
  line: number;
  severity: string;
  message: string;
}
interface JsonReport {
  files: { path: string; findings: JsonFinding[] }[];
}

const BASE = `services:
  web:
    build: .
    ports:
      - "8000:8000"
    command: ["gunicorn", "app.wsgi"]
    environment:
      DEBUG: "0"
  db:
    image: postgres:16
    environment:
      POSTGRES_DB: app
  cache:
    image: redis:7.4-alpine
`;

const OVERRIDE = `services:
  web:
    ports:
      - "5678:5678"
    volumes:
      - .:/app
    command: ["python", "manage.py", "runserver", "0.0.0.0:8000"]
  db:
    ports:
      - "5432:5432"
`;

const PROD = `services:
  web:
    read_only: true
    ports:
      - "8000:8000"
    user: root
  proxy:
    image: nginx:1.27
    ports:
      - "127.0.0.1:8080:80"
`;

async function audit(files: Record<string, string>): Promise<Map<string, JsonFinding[]>> {
  const dir = tempRepo(files);
  const { out } = await run(['--format', 'json', '--fail-on', 'none'], dir);
  const doc = JSON.parse(out) as JsonReport;
  return new Map(doc.files.map((f) => [f.path, f.findings]));
}

const keys = (fs: JsonFinding[] | undefined): string[] => (fs ?? []).map((f) => `${f.rule}@${f.line}`);

describe('compose file roles', () => {
  it('names base, override and variant files as Compose does', () => {
    expect(composeRole('compose.yaml')?.role).toBe('base');
    expect(composeRole('docker-compose.yml')?.role).toBe('base');
    expect(composeRole('docker-compose.override.yml')?.role).toBe('override');
    expect(composeRole('compose.override.yaml')?.role).toBe('override');
    expect(composeRole('docker-compose.prod.yml')).toMatchObject({ role: 'variant', name: 'prod' });
    expect(composeRole('docker-compose-prod.yml')).toBeNull();
    expect(composeRole('app.yml')).toBeNull();
  });
});

describe('merge (Compose Specification rules)', () => {
  const merged = mergeComposeModels([buildComposeModel(BASE, 'a'), buildComposeModel(OVERRIDE, 'b')]);
  const web = merged.services.find((s) => s.name === 'web');
  it('appends ports, replaces command, keeps services in first-definition order', () => {
    expect(merged.services.map((s) => s.name)).toEqual(['web', 'db', 'cache']);
    expect(web?.value.ports).toEqual(['8000:8000', '5678:5678']);
    expect(web?.value.command).toEqual(['python', 'manage.py', 'runserver', '0.0.0.0:8000']);
    expect(web?.value.environment).toEqual({ DEBUG: '0' });
  });
  it('merges unique resources by key and environment by name', () => {
    const a = `services:\n  s:\n    image: x:1\n    ports: ["8080:80"]\n    volumes: ["data:/data"]\n    environment: ["A=1", "B=2"]\n`;
    const b = `services:\n  s:\n    ports: ["8080:80", "9090:90"]\n    volumes: ["other:/data"]\n    environment: ["B=3"]\n`;
    const m = mergeComposeModels([buildComposeModel(a, 'a'), buildComposeModel(b, 'b')]).services[0];
    expect(m.value.ports).toEqual(['8080:80', '9090:90']);
    expect(m.value.volumes).toEqual(['other:/data']);
    expect(m.value.environment).toEqual(['A=1', 'B=3']);
  });
  it('maps lines to the file that set the value', () => {
    expect(web?.lineOf('ports', 0)).toBe((0 + 1) * (1 << 22) + 5);
    expect(web?.lineOf('ports', 1)).toBe((1 + 1) * (1 << 22) + 4);
    expect(web?.lineOf('command')).toBe((1 + 1) * (1 << 22) + 7);
    expect(web?.line).toBe((0 + 1) * (1 << 22) + 2);
  });
});

describe('audit of merged compose files', () => {
  it('base + override: each finding once, in the file that set the value', async () => {
    const r = await audit({ 'docker-compose.yml': BASE, 'docker-compose.override.yml': OVERRIDE });
    const base = keys(r.get('docker-compose.yml'));
    const over = keys(r.get('docker-compose.override.yml'));
    // ports published by the override are reported there, at their own lines
    expect(over).toEqual(['SC2009@4', 'SC2009@10']);
    // the base's own port, and the missing settings of its services, are the base's
    expect(base).toContain('SC2009@5');
    expect(base).toContain('SC2011@2');
    // no setting reported by both files
    const all = [...base.map((k) => `base:${k}`), ...over.map((k) => `over:${k}`)];
    expect(new Set(all).size).toBe(all.length);
    // before: the override alone repeated every missing setting of web and db (12 findings)
    expect(over.filter((k) => /^SC20(03|04|11|12|14|15)@/.test(k))).toEqual([]);
  });

  it('a variant (-f base -f prod): only what the variant sets, restated values stay the base’s', async () => {
    const r = await audit({ 'docker-compose.yml': BASE, 'docker-compose.prod.yml': PROD });
    const prod = r.get('docker-compose.prod.yml') ?? [];
    // `user: root` set by prod, at its line; the restated "8000:8000" is the base's (reported there)
    expect(prod.find((f) => f.rule === 'SC2013')?.line).toBe(6);
    expect(prod.some((f) => f.rule === 'SC2009')).toBe(false);
    expect(keys(r.get('docker-compose.yml'))).toContain('SC2009@5');
    // the proxy is defined only in prod: its findings are prod's, at info (third-party image)
    const proxy = prod.filter((f) => f.message.includes('"proxy"') && /^SC20(03|04|11|12|14|15)$/.test(f.rule));
    expect(proxy.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['SC2003', 'SC2004', 'SC2011', 'SC2012', 'SC2014', 'SC2015']),
    );
    expect(proxy.every((f) => f.severity === 'info')).toBe(true);
  });

  it('an override without a base, or beside an unparsable base, is audited alone', async () => {
    const alone = await audit({ 'docker-compose.override.yml': OVERRIDE });
    expect(keys(alone.get('docker-compose.override.yml'))).toContain('SC2011@2');
    const broken = await audit({ 'docker-compose.yml': 'services: [\n', 'docker-compose.override.yml': OVERRIDE });
    expect(keys(broken.get('docker-compose.override.yml'))).toContain('SC2011@2');
    expect(keys(broken.get('docker-compose.yml'))).toContain('SC0001@2');
  });

  it('suppressions apply in the file that holds the finding', async () => {
    const over = OVERRIDE.replace(
      '      - "5432:5432"',
      '      - "5432:5432" # secure-container-ignore SC2009: dev database, firewall',
    );
    const r = await audit({ 'docker-compose.yml': BASE, 'docker-compose.override.yml': over });
    expect(keys(r.get('docker-compose.override.yml'))).toEqual(['SC2009@4']);
  });

  it('auditComposeSet with one file is the plain audit', () => {
    const one = auditComposeSet([{ path: 'compose.yaml', text: BASE }], 0);
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((f) => f.line < 20)).toBe(true);
  });
});

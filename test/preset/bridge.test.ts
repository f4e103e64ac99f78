import { describe, it, expect } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { loadPresetInput, presetValueValidator, redactValues } from '../../lib/preset/bridge.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('preset -> answers layer (lib/flow/generate.ts PresetInput)', () => {
  it('validates preset values with the answers schema, naming section and field', async () => {
    await expect(loadPresetInput('test/fixtures/preset/answer-invalid.yaml', ROOT)).rejects.toThrow(
      /^preset test\/fixtures\/preset\/answer-invalid\.yaml: fixed\.dataDirs: .*\npreset test\/fixtures\/preset\/answer-invalid\.yaml: defaults\.healthPath: .*must be a URL path/,
    );
  });

  it("never quotes the preset's values in its messages (a failed file is not echoed)", () => {
    const msg = presetValueValidator('vaultAddr', 'https://user:hunter2-secret@vault.example.com', {});
    expect(msg).toMatch(/^the value must not contain credentials/);
    expect(msg).not.toContain('hunter2');
    expect(redactValues('"abc" is not one of the secrets (db_password_long)', ['abc', ['db_password_long']])).toBe(
      'the value is not one of the secrets (…)',
    );
  });

  it('uses the same rule as the flag', () => {
    expect(presetValueValidator('port', 80, {})).toMatch(/1024/);
    expect(presetValueValidator('uid', 20001, {})).toBeNull();
    expect(presetValueValidator('packageManager', 'npm', {})).toBeNull(); // needs a runtime: checked later
  });

  it('turns the AWS example into locked answers, defaults, labels and policy', async () => {
    expect(await loadPresetInput('presets/aws.yaml', ROOT)).toEqual({
      name: 'aws',
      ref: 'presets/aws.yaml',
      locked: { secretProvider: 'aws', awsRegion: 'eu-west-1' },
      defaults: { bind: '127.0.0.1' },
      build: {
        policy: { rules: { SC1026: 'error', SC2015: 'warning' }, failOn: 'error' },
        labels: { 'org.opencontainers.image.vendor': 'Example Corp', 'com.example.platform': 'aws' },
      },
    });
  });
});

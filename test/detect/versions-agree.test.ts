// One list of supported versions (issue 10 item 1): the detectors pick from the profiles' `versions`
// tables, and those tables agree with the base-image tables (every listed version has images, a
// version a flavour does not list has none).
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { supportedVersions } from '../../lib/detect/versions.js';
import { profileFor, profiles } from '../../lib/runtimes/index.js';
import { GO_SUPPORTED } from '../../lib/runtimes/go/detect.js';
import { NODE_SUPPORTED, NODE_VERSIONS } from '../../lib/runtimes/node/versions.js';
import { PYTHON_SUPPORTED, PYTHON_VERSIONS } from '../../lib/runtimes/python/versions.js';
import { GO_VERSIONS } from '../../lib/runtimes/go/versions.js';

describe('the detectors and the base-image tables use one list', () => {
  it('each profile lists the detector tables themselves', () => {
    expect(profileFor('node').versions).toBe(NODE_VERSIONS);
    expect(profileFor('python').versions).toBe(PYTHON_VERSIONS);
    expect(profileFor('go').versions).toBe(GO_VERSIONS);
    expect(NODE_SUPPORTED).toEqual(supportedVersions(profileFor('node').versions));
    expect(PYTHON_SUPPORTED).toEqual(supportedVersions(profileFor('python').versions));
    expect(GO_SUPPORTED).toEqual(supportedVersions(profileFor('go').versions));
  });

  it.each(profiles().map((p) => [p.runtime, p] as const))(
    '%s: every listed (version, flavour) has base images naming that version; the default is listed',
    (_name, p) => {
      for (const flavor of p.flavors) {
        const list = p.versions[flavor] ?? [];
        expect({ flavor, listed: list.length > 0 }).toEqual({ flavor, listed: true });
        for (const v of list) {
          expect(p.normalizeVersion(v)).toBe(v);
          const img = p.images(v, flavor);
          // the version selects an image tag: the builder's or the final image's
          expect({ v, flavor, images: `${img.builder} ${img.final}` }).toEqual({
            v,
            flavor,
            images: expect.stringContaining(v),
          });
        }
      }
      expect(supportedVersions(p.versions)).toContain(p.defaultVersion);
    },
  );

  it('python: distroless lists exactly the minors distroless ships (the others have no image)', () => {
    const p = profileFor('python');
    for (const v of PYTHON_SUPPORTED) {
      const listed = (p.versions.distroless ?? []).includes(v);
      let hasImage = true;
      try {
        p.images(v, 'distroless');
      } catch {
        hasImage = false;
      }
      expect({ v, listed }).toEqual({ v, listed: hasImage });
    }
  });

  it('a constraint that allows everything picks the newest listed version (distroless first for Python)', () => {
    const node = detectFromFiles(
      memoryFiles({ 'package.json': JSON.stringify({ dependencies: { a: '1' }, engines: { node: '*' } }) }),
    );
    expect(node.runtimeVersion?.value).toBe(NODE_SUPPORTED.at(-1));
    const py = detectFromFiles(memoryFiles({ 'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3"\n' }));
    expect(py.runtimeVersion?.value).toBe(PYTHON_VERSIONS.distroless?.at(-1));
    const go = detectFromFiles(memoryFiles({ 'go.mod': 'module a\ngo 1.0\n', 'main.go': 'package main\n' }));
    expect(go.runtimeVersion?.value).toBe(GO_SUPPORTED.at(-1));
  });
});

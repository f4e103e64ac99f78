import type { VerifyCases, VerifyRule } from '../types.js';

export const rule: VerifyRule = {
  meta: {
    id: 'SC5008',
    name: 'image-layer-count',
    principle: 'P2',
    severity: 'warning',
    message: 'The image has more layers than the threshold',
    description:
      'Each layer is a separate download and a separate place a deleted file can survive in; many layers usually mean a final stage that runs many RUN steps instead of copying a finished build from a builder stage. The threshold (--max-layers, default 30) is a prompt to look: distroless bases alone bring about a dozen.',
    fix: 'Move build steps to a builder stage and COPY the result into the final stage; join related RUN steps; or raise --max-layers.',
    related: ['DL3059'],
  },
  check(facts, report) {
    if (facts.config.layers > facts.thresholds.maxLayers)
      report({
        message: `The image has ${facts.config.layers} layers, more than --max-layers ${facts.thresholds.maxLayers}`,
      });
  },
};

const layers = (n: number) => ({
  RootFS: { Type: 'layers', Layers: Array.from({ length: n }, (_, i) => `sha256:${i}`) },
});

export const cases: VerifyCases = {
  valid: [
    { name: 'few', inspect: layers(12) },
    { name: 'at the threshold', inspect: layers(30) },
  ],
  invalid: [
    { name: 'many', inspect: layers(31), count: 1, match: /31 layers, more than --max-layers 30/ },
    { name: 'a lowered threshold', inspect: layers(6), thresholds: { maxLayers: 5 }, count: 1 },
  ],
};

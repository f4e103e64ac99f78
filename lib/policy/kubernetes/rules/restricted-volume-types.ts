import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { isRecord } from '../model.js';

/** Volume types the restricted Pod Security Standard allows. */
const ALLOWED = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3025',
    name: 'restricted-volume-types',
    principle: 'P5',
    severity: 'error',
    message: 'Pod uses a volume type the restricted profile does not allow',
    description:
      'The restricted Pod Security Standard allows configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes. The others (nfs, iscsi, rbd, cephfs, gitRepo, the in-tree cloud disks…) mount storage straight from the node or the network, bypassing PersistentVolume access control; gitRepo even runs git on the node. hostPath is reported by SC3012.',
    fix: 'Use a PersistentVolumeClaim (an administrator binds the storage to a PersistentVolume) or one of the allowed types.',
  }),
  check({ model, report }) {
    for (const p of model.pods) {
      const vols = p.spec.volumes;
      if (!Array.isArray(vols)) continue;
      vols.forEach((v, i) => {
        if (!isRecord(v)) return;
        const types = Object.keys(v).filter((k) => k !== 'name' && k !== 'hostPath' && !ALLOWED.has(k));
        for (const t of types)
          report({
            line: p.lineOf('volumes', i, t),
            message: `${p.object.kind} ${p.object.name || '(unnamed)'} uses a ${t} volume`,
          });
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: data
    - name: tmp
      emptyDir:
        medium: Memory
    - name: secrets
      projected:
        sources:
          - secret:
              name: s
`,
    },
  ],
  invalid: [
    {
      name: 'nfs and gitRepo',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
  volumes:
    - name: share
      nfs:
        server: nfs.example.com
        path: /exports
    - name: src
      gitRepo:
        repository: https://example.com/repo.git
`,
      errors: [
        { rule: 'SC3025', line: 11 },
        { rule: 'SC3025', line: 15 },
      ],
    },
  ],
};

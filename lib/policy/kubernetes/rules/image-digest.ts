import { parseImage } from '../../image.js';
import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3022',
    name: 'image-digest',
    principle: 'P7',
    severity: 'info',
    message: 'Container image is not pinned by digest',
    description:
      'A tag can be pushed again; a digest (`@sha256:…`) names exactly one image. Pinning digests makes every node run the same bytes and turns a registry compromise into a pull failure instead of a silent change. With Kustomize, `kustomize edit set image name@sha256:…` pins without editing the manifests.',
    fix: 'Pin the image by digest (`image: name:tag@sha256:…`, or Kustomize `images: [{name, digest}]`).',
    sameAs: ['CKV_K8S_43'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const img = c.image;
      if (!img || img.unresolved || img.digest) continue;
      report({ line: c.lineOf('image'), message: `${c.label}: image ${img.ref} is not pinned by digest` });
    }
    // a Kustomization's images: entries: `digest` (or a digest written into newName) pins every container they match
    for (const e of model.kustomizeImages) {
      if (e.digest || (e.newName !== null && parseImage(e.newName).digest)) continue;
      report({
        line: e.line,
        message: `${e.label}: sets no digest (kustomize edit set image ${e.name}=<image>@sha256:<digest> pins it)`,
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'kustomization images: a digest',
      code: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  - name: app
    newName: registry.example.com/app
    digest: sha256:b0ad43f7ee5edbc0effbc14645ae7055e21bc1973aee5150745632a24a752661
  - name: worker
    newName: registry.example.com/worker@sha256:b0ad43f7ee5edbc0effbc14645ae7055e21bc1973aee5150745632a24a752661
`,
    },
    {
      name: 'tag and digest',
      from: ['CKV_K8S_43'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nginx:1.27@sha256:b0ad43f7ee5edbc0effbc14645ae7055e21bc1973aee5150745632a24a752661
`,
    },
  ],
  invalid: [
    {
      name: 'kustomization images: a tag only',
      code: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  - name: app
    newTag: 0123456789abcdef0123456789abcdef01234567
`,
      errors: [{ rule: 'SC3022', line: 4 }],
    },
    {
      name: 'a tag only',
      from: ['CKV_K8S_43'],
      code: `apiVersion: batch/v1
kind: Job
metadata:
  name: countdown
spec:
  template:
    spec:
      containers:
      - name: counter
        image: centos:latest
      restartPolicy: Never
`,
      errors: [{ rule: 'SC3022', line: 10 }],
    },
    {
      name: 'a version tag',
      from: ['CKV_K8S_43'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: gcr.io/google_containers/kubernetes-zookeeper:1.0-3.4.10
`,
      errors: [{ rule: 'SC3022', line: 8 }],
    },
  ],
};

import { parseImage } from '../../image.js';
import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3021',
    name: 'no-latest-image',
    principle: 'P7',
    severity: 'warning',
    message: 'Container image has no tag or the "latest" tag',
    description:
      'An untagged image is `latest`, and `latest` moves: each node pulls whatever was pushed last when it first starts the pod, replicas of one Deployment can run different code, and a rollback does not roll back. A version tag (CI: the git SHA) or a digest says exactly what runs.',
    fix: 'Use an explicit tag (the git SHA for your own images, a version for others), or pin a digest; with Kustomize set it in `images:` (`newTag`, or `digest`).',
    sameAs: ['CKV_K8S_14'],
    related: ['kube-linter:latest-tag'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const img = c.image;
      if (!img || img.unresolved || img.digest) continue;
      if (img.tag === null || img.tag === 'latest')
        report({
          line: c.lineOf('image'),
          message: `${c.label}: image ${img.ref} ${img.tag === null ? 'has no tag' : 'uses latest'}`,
        });
    }
    // a Kustomization's images: entries re-tag the containers of its resources
    for (const e of model.kustomizeImages) {
      if (e.digest) continue;
      // without newTag the containers keep their own tag (judged on the containers, above); a tag
      // written into newName (`app:latest`) is what runs then
      const named = e.newName !== null ? parseImage(e.newName) : null;
      if (named?.digest) continue;
      const tag = e.newTag ?? named?.tag ?? null;
      if (tag === 'latest')
        report({
          line: e.lineOf(e.newTag !== null ? 'newTag' : 'newName'),
          message: `${e.label}: sets the latest tag`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'kustomization images: the git SHA as newTag, or a digest',
      code: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: app
    newName: registry.example.com/app
    newTag: 0123456789abcdef0123456789abcdef01234567
  - name: worker
    newTag: latest
    digest: sha256:b0ad43f7ee5edbc0effbc14645ae7055e21bc1973aee5150745632a24a752661
  - name: nginx
    newName: mirror.example.com/nginx
`,
    },
    {
      name: 'a version tag',
      from: ['CKV_K8S_14'],
      code: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: kafka
spec:
  serviceName: kafka-hs
  replicas: 5
  selector:
    matchLabels:
      app: kafka
  template:
    metadata:
      labels:
        app: kafka
    spec:
      containers:
      - name: k8skafka
        imagePullPolicy: Always
        image: gcr.io/google_containers/kubernetes-kafka:1.0-10.2.1
`,
    },
    {
      name: 'a digest',
      from: ['CKV_K8S_14'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nginx@sha256:b0ad43f7ee5edbc0effbc14645ae7055e21bc1973aee5150745632a24a752661
`,
    },
  ],
  invalid: [
    {
      name: 'kustomization images: newTag latest, or a latest tag written into newName',
      code: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: app
    newName: registry.example.com/app
    newTag: latest
  - name: worker
    newName: registry.example.com/worker:latest
`,
      errors: [
        { rule: 'SC3021', line: 8 },
        { rule: 'SC3021', line: 10 },
      ],
    },
    {
      name: 'latest',
      from: ['CKV_K8S_14'],
      code: `apiVersion: batch/v1
kind: Job
metadata:
  name: countdown
spec:
  template:
    metadata:
      name: countdown
    spec:
      containers:
      - name: counter
        image: centos:latest
        command:
         - "bin/bash"
         - "-c"
         - "for i in 9 8 7 6 5 4 3 2 1 ; do echo $i ; done"
      restartPolicy: Never
`,
      errors: [{ rule: 'SC3021', line: 12 }],
    },
    {
      name: 'no tag',
      from: ['CKV_K8S_14'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nginx
`,
      errors: [{ rule: 'SC3021', line: 8 }],
    },
  ],
};

import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { effective, effectiveLine, isRecord, type ContainerView } from '../model.js';

/** SELinux types the baseline Pod Security Standard allows a pod to ask for. */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

function apparmorAnnotation(c: ContainerView): string | undefined {
  const v = c.pod.annotations[APPARMOR_ANNOTATION + c.name];
  return typeof v === 'string' ? v : undefined;
}

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3028',
    name: 'no-unconfined-lsm',
    principle: 'P5',
    severity: 'error',
    message: 'Container turns off AppArmor or picks its own SELinux context',
    description:
      'AppArmor and SELinux confine what a container may touch on the node even as root. `appArmorProfile: {type: Unconfined}` (or the older `unconfined` annotation) turns AppArmor off; an SELinux type other than the container types, or a custom SELinux user or role, lets the process run in a domain of its choosing. The baseline Pod Security Standard (and so the restricted one) forbids both.',
    fix: 'Remove the override: the runtime default AppArmor profile and SELinux context apply (or use a Localhost AppArmor profile).',
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const aa = effective(c, 'appArmorProfile');
      if (isRecord(aa.value) && aa.value.type === 'Unconfined')
        report({ line: effectiveLine(c, 'appArmorProfile', aa.from), message: `${c.label}: AppArmor is Unconfined` });
      if (apparmorAnnotation(c) === 'unconfined')
        report({ line: c.pod.object.line, message: `${c.label}: AppArmor is unconfined (annotation)` });
      const se = effective(c, 'seLinuxOptions');
      if (isRecord(se.value)) {
        const bad: string[] = [];
        if (typeof se.value.type === 'string' && !SELINUX_TYPES.has(se.value.type)) bad.push(`type ${se.value.type}`);
        if (typeof se.value.user === 'string' && se.value.user !== '') bad.push(`user ${se.value.user}`);
        if (typeof se.value.role === 'string' && se.value.role !== '') bad.push(`role ${se.value.role}`);
        if (bad.length > 0)
          report({
            line: effectiveLine(c, 'seLinuxOptions', se.from),
            message: `${c.label}: SELinux ${bad.join(', ')}`,
          });
      }
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
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
    seLinuxOptions:
      level: "s0:c123,c456"
  containers:
    - name: app
      image: app:1.0
`,
    },
  ],
  invalid: [
    {
      name: 'AppArmor Unconfined on a container, SELinux spc_t on the pod',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    seLinuxOptions:
      type: spc_t
  containers:
    - name: app
      image: app:1.0
      securityContext:
        appArmorProfile:
          type: Unconfined
`,
      errors: [
        { rule: 'SC3028', line: 7 },
        { rule: 'SC3028', line: 13 },
      ],
    },
  ],
};

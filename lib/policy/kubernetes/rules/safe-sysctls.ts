import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { isRecord, podContext } from '../model.js';

/** The sysctls the baseline Pod Security Standard allows (namespaced, isolated from the node). */
const SAFE = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3027',
    name: 'safe-sysctls',
    principle: 'P5',
    severity: 'error',
    message: 'Pod sets a sysctl outside the safe set',
    description:
      'A pod can set kernel parameters through `securityContext.sysctls`. Only a small set is namespaced and safe (the local port range, syncookies, ping group, keepalive timers…); others change the node for every pod on it or can exhaust its memory. The baseline Pod Security Standard (and so the restricted one) allows the safe set only.',
    fix: 'Remove the sysctl; tune the node itself if the workload needs it (and schedule the pod there).',
  }),
  check({ model, report }) {
    for (const p of model.pods) {
      const list = podContext(p).sysctls;
      if (!Array.isArray(list)) continue;
      list.forEach((s, i) => {
        if (!isRecord(s) || typeof s.name !== 'string' || SAFE.has(s.name)) return;
        report({
          line: p.lineOf('securityContext', 'sysctls', i),
          message: `${p.object.kind} ${p.object.name || '(unnamed)'} sets the unsafe sysctl ${s.name}`,
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
  securityContext:
    sysctls:
      - name: net.ipv4.ip_unprivileged_port_start
        value: "80"
  containers:
    - name: app
      image: app:1.0
`,
    },
  ],
  invalid: [
    {
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    sysctls:
      - name: kernel.shm_rmid_forced
        value: "0"
      - name: net.core.somaxconn
        value: "1024"
  containers:
    - name: app
      image: app:1.0
`,
      errors: [{ rule: 'SC3027', line: 10 }],
    },
  ],
};

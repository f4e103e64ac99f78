// The rules the audit runs, for the code that runs them (the engine, the file kinds, the report
// formats). The rule modules' case tables (rules/index.ts ruleModules: tests and generated docs) are
// not imported here, so the bundled audit does not load them: ~40% of the rules' source, a few ms of
// every start. rules/index.ts lists the same modules in the same order (test/policy/rules.test.ts).
import type { ComposeRule, DockerfileRule, KubernetesRule, Rule, WorkflowRule } from '../types.js';
import { rule as SC0001 } from './meta/parse-error.js';
import { rule as SC0002 } from './meta/unreadable-file.js';
import { rule as SC0003 } from './meta/suppression-without-reason.js';
import { rule as SC0004 } from './meta/analysis-limit.js';
import { rule as SC1001 } from '../dockerfile/rules/no-root-user.js';
import { rule as SC1002 } from '../dockerfile/rules/no-sudo.js';
import { rule as SC1003 } from '../dockerfile/rules/no-latest-tag.js';
import { rule as SC1004 } from '../dockerfile/rules/no-untagged-image.js';
import { rule as SC1005 } from '../dockerfile/rules/trusted-base-image.js';
import { rule as SC1006 } from '../dockerfile/rules/no-add-remote-url.js';
import { rule as SC1007 } from '../dockerfile/rules/prefer-copy-over-add.js';
import { rule as SC1008 } from '../dockerfile/rules/no-curl-pipe-shell.js';
import { rule as SC1009 } from '../dockerfile/rules/no-tls-verify-disabled.js';
import { rule as SC1010 } from '../dockerfile/rules/no-signature-verify-disabled.js';
import { rule as SC1011 } from '../dockerfile/rules/no-distro-upgrade.js';
import { rule as SC1012 } from '../dockerfile/rules/no-secret-in-arg-env.js';
import { rule as SC1013 } from '../dockerfile/rules/no-secret-files-copied.js';
import { rule as SC1014 } from '../dockerfile/rules/apt-no-install-recommends.js';
import { rule as SC1015 } from '../dockerfile/rules/package-cache-cleanup.js';
import { rule as SC1016 } from '../dockerfile/rules/no-update-alone.js';
import { rule as SC1017 } from '../dockerfile/rules/apk-no-cache.js';
import { rule as SC1018 } from '../dockerfile/rules/pip-no-cache-dir.js';
import { rule as SC1019 } from '../dockerfile/rules/no-full-distro-final-stage.js';
import { rule as SC1020 } from '../dockerfile/rules/single-cmd.js';
import { rule as SC1021 } from '../dockerfile/rules/single-entrypoint.js';
import { rule as SC1022 } from '../dockerfile/rules/exec-form-cmd.js';
import { rule as SC1023 } from '../dockerfile/rules/no-ssh-server.js';
import { rule as SC1024 } from '../dockerfile/rules/no-expose-ssh-port.js';
import { rule as SC1025 } from '../dockerfile/rules/no-service-manager.js';
import { rule as SC1026 } from '../dockerfile/rules/healthcheck-required.js';
import { rule as SC1027 } from '../dockerfile/rules/absolute-workdir.js';
import { rule as SC1028 } from '../dockerfile/rules/unique-stage-names.js';
import { rule as SC1029 } from '../dockerfile/rules/no-sensitive-volume.js';
import { rule as SC1030 } from '../dockerfile/rules/provenance-labels.js';
import { rule as SC1031 } from '../dockerfile/rules/no-moving-tag.js';
import { rule as SC1032 } from '../dockerfile/rules/cmd-required.js';
import { rule as SC1033 } from '../dockerfile/rules/numeric-user.js';
import { rule as SC1034 } from '../dockerfile/rules/no-registry-credentials.js';
import { rule as SC2001 } from '../compose/rules/no-privileged.js';
import { rule as SC2002 } from '../compose/rules/cap-add-without-drop-all.js';
import { rule as SC2003 } from '../compose/rules/cap-drop-all.js';
import { rule as SC2004 } from '../compose/rules/no-new-privileges.js';
import { rule as SC2005 } from '../compose/rules/no-unconfined-profile.js';
import { rule as SC2006 } from '../compose/rules/no-docker-socket.js';
import { rule as SC2007 } from '../compose/rules/no-sensitive-host-path.js';
import { rule as SC2008 } from '../compose/rules/no-host-namespace.js';
import { rule as SC2009 } from '../compose/rules/port-bound-all-interfaces.js';
import { rule as SC2010 } from '../compose/rules/no-privileged-host-port.js';
import { rule as SC2011 } from '../compose/rules/read-only-rootfs.js';
import { rule as SC2012 } from '../compose/rules/user-required.js';
import { rule as SC2013 } from '../compose/rules/no-root-user.js';
import { rule as SC2014 } from '../compose/rules/memory-limit.js';
import { rule as SC2015 } from '../compose/rules/pids-limit.js';
import { rule as SC2016 } from '../compose/rules/bounded-restart.js';
import { rule as SC2017 } from '../compose/rules/no-literal-secret-env.js';
import { rule as SC2018 } from '../compose/rules/no-latest-image.js';
import { rule as SC2019 } from '../compose/rules/no-untagged-image.js';
import { rule as SC2020 } from '../compose/rules/trusted-image.js';
import { rule as SC2021 } from '../compose/rules/no-ssh-port.js';
import { rule as SC2022 } from '../compose/rules/no-moving-image-tag.js';
import { rule as SC3001 } from '../kubernetes/rules/no-privileged.js';
import { rule as SC3002 } from '../kubernetes/rules/no-privilege-escalation.js';
import { rule as SC3003 } from '../kubernetes/rules/run-as-non-root.js';
import { rule as SC3004 } from '../kubernetes/rules/no-root-uid.js';
import { rule as SC3005 } from '../kubernetes/rules/numeric-run-as-user.js';
import { rule as SC3006 } from '../kubernetes/rules/drop-all-capabilities.js';
import { rule as SC3007 } from '../kubernetes/rules/no-added-capabilities.js';
import { rule as SC3008 } from '../kubernetes/rules/seccomp-profile.js';
import { rule as SC3009 } from '../kubernetes/rules/no-host-network.js';
import { rule as SC3010 } from '../kubernetes/rules/no-host-pid.js';
import { rule as SC3011 } from '../kubernetes/rules/no-host-ipc.js';
import { rule as SC3012 } from '../kubernetes/rules/no-host-path.js';
import { rule as SC3013 } from '../kubernetes/rules/no-host-port.js';
import { rule as SC3014 } from '../kubernetes/rules/read-only-root-filesystem.js';
import { rule as SC3015 } from '../kubernetes/rules/memory-limit.js';
import { rule as SC3016 } from '../kubernetes/rules/cpu-limit.js';
import { rule as SC3017 } from '../kubernetes/rules/resource-requests.js';
import { rule as SC3018 } from '../kubernetes/rules/liveness-probe.js';
import { rule as SC3019 } from '../kubernetes/rules/readiness-probe.js';
import { rule as SC3020 } from '../kubernetes/rules/service-account-token.js';
import { rule as SC3021 } from '../kubernetes/rules/no-latest-image.js';
import { rule as SC3022 } from '../kubernetes/rules/image-digest.js';
import { rule as SC3023 } from '../kubernetes/rules/no-literal-secret-env.js';
import { rule as SC3024 } from '../kubernetes/rules/secrets-as-files.js';
import { rule as SC3025 } from '../kubernetes/rules/restricted-volume-types.js';
import { rule as SC3026 } from '../kubernetes/rules/no-unsafe-proc-mount.js';
import { rule as SC3027 } from '../kubernetes/rules/safe-sysctls.js';
import { rule as SC3028 } from '../kubernetes/rules/no-unconfined-lsm.js';
import { rule as SC3029 } from '../kubernetes/rules/no-host-process.js';
import { rule as SC4001 } from '../workflow/rules/unpinned-action.js';
import { rule as SC4002 } from '../workflow/rules/missing-top-level-permissions.js';
import { rule as SC4003 } from '../workflow/rules/broad-permissions.js';
import { rule as SC4004 } from '../workflow/rules/secret-in-build-args.js';
import { rule as SC4005 } from '../workflow/rules/pull-request-target-checkout.js';
import { rule as SC4006 } from '../workflow/rules/script-injection.js';

/** Every rule, engine rules first, then by kind and id. */
export const allRules: readonly Rule[] = [
  SC0001,
  SC0002,
  SC0003,
  SC0004,
  SC1001,
  SC1002,
  SC1003,
  SC1004,
  SC1005,
  SC1006,
  SC1007,
  SC1008,
  SC1009,
  SC1010,
  SC1011,
  SC1012,
  SC1013,
  SC1014,
  SC1015,
  SC1016,
  SC1017,
  SC1018,
  SC1019,
  SC1020,
  SC1021,
  SC1022,
  SC1023,
  SC1024,
  SC1025,
  SC1026,
  SC1027,
  SC1028,
  SC1029,
  SC1030,
  SC1031,
  SC1032,
  SC1033,
  SC1034,
  SC2001,
  SC2002,
  SC2003,
  SC2004,
  SC2005,
  SC2006,
  SC2007,
  SC2008,
  SC2009,
  SC2010,
  SC2011,
  SC2012,
  SC2013,
  SC2014,
  SC2015,
  SC2016,
  SC2017,
  SC2018,
  SC2019,
  SC2020,
  SC2021,
  SC2022,
  SC3001,
  SC3002,
  SC3003,
  SC3004,
  SC3005,
  SC3006,
  SC3007,
  SC3008,
  SC3009,
  SC3010,
  SC3011,
  SC3012,
  SC3013,
  SC3014,
  SC3015,
  SC3016,
  SC3017,
  SC3018,
  SC3019,
  SC3020,
  SC3021,
  SC3022,
  SC3023,
  SC3024,
  SC3025,
  SC3026,
  SC3027,
  SC3028,
  SC3029,
  SC4001,
  SC4002,
  SC4003,
  SC4004,
  SC4005,
  SC4006,
];
export const ruleById: ReadonlyMap<string, Rule> = new Map(allRules.map((r) => [r.meta.id, r]));
export const dockerfileRules: readonly DockerfileRule[] = allRules.filter(
  (r): r is DockerfileRule => r.meta.kind === 'dockerfile',
);
export const composeRules: readonly ComposeRule[] = allRules.filter((r): r is ComposeRule => r.meta.kind === 'compose');
export const kubernetesRules: readonly KubernetesRule[] = allRules.filter(
  (r): r is KubernetesRule => r.meta.kind === 'kubernetes',
);
export const workflowRules: readonly WorkflowRule[] = allRules.filter(
  (r): r is WorkflowRule => r.meta.kind === 'workflow',
);

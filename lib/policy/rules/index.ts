// Registry of every rule module (generated list kept by hand: one import a rule).
// Order: engine rules, then Dockerfile rules, then compose rules, each by id.
import type { ComposeRule, DockerfileRule, MetaRule, Rule, RuleModule } from '../types.js';
import * as SC0001 from './meta/parse-error.js';
import * as SC0002 from './meta/unreadable-file.js';
import * as SC0003 from './meta/suppression-without-reason.js';
import * as SC0004 from './meta/analysis-limit.js';
import * as SC1001 from './dockerfile/no-root-user.js';
import * as SC1002 from './dockerfile/no-sudo.js';
import * as SC1003 from './dockerfile/no-latest-tag.js';
import * as SC1004 from './dockerfile/no-untagged-image.js';
import * as SC1005 from './dockerfile/trusted-base-image.js';
import * as SC1006 from './dockerfile/no-add-remote-url.js';
import * as SC1007 from './dockerfile/prefer-copy-over-add.js';
import * as SC1008 from './dockerfile/no-curl-pipe-shell.js';
import * as SC1009 from './dockerfile/no-tls-verify-disabled.js';
import * as SC1010 from './dockerfile/no-signature-verify-disabled.js';
import * as SC1011 from './dockerfile/no-distro-upgrade.js';
import * as SC1012 from './dockerfile/no-secret-in-arg-env.js';
import * as SC1013 from './dockerfile/no-secret-files-copied.js';
import * as SC1014 from './dockerfile/apt-no-install-recommends.js';
import * as SC1015 from './dockerfile/package-cache-cleanup.js';
import * as SC1016 from './dockerfile/no-update-alone.js';
import * as SC1017 from './dockerfile/apk-no-cache.js';
import * as SC1018 from './dockerfile/pip-no-cache-dir.js';
import * as SC1019 from './dockerfile/no-full-distro-final-stage.js';
import * as SC1020 from './dockerfile/single-cmd.js';
import * as SC1021 from './dockerfile/single-entrypoint.js';
import * as SC1022 from './dockerfile/exec-form-cmd.js';
import * as SC1023 from './dockerfile/no-ssh-server.js';
import * as SC1024 from './dockerfile/no-expose-ssh-port.js';
import * as SC1025 from './dockerfile/no-service-manager.js';
import * as SC1026 from './dockerfile/healthcheck-required.js';
import * as SC1027 from './dockerfile/absolute-workdir.js';
import * as SC1028 from './dockerfile/unique-stage-names.js';
import * as SC1029 from './dockerfile/no-sensitive-volume.js';
import * as SC1030 from './dockerfile/provenance-labels.js';
import * as SC2001 from './compose/no-privileged.js';
import * as SC2002 from './compose/cap-add-without-drop-all.js';
import * as SC2003 from './compose/cap-drop-all.js';
import * as SC2004 from './compose/no-new-privileges.js';
import * as SC2005 from './compose/no-unconfined-profile.js';
import * as SC2006 from './compose/no-docker-socket.js';
import * as SC2007 from './compose/no-sensitive-host-path.js';
import * as SC2008 from './compose/no-host-namespace.js';
import * as SC2009 from './compose/port-bound-all-interfaces.js';
import * as SC2010 from './compose/no-privileged-host-port.js';
import * as SC2011 from './compose/read-only-rootfs.js';
import * as SC2012 from './compose/user-required.js';
import * as SC2013 from './compose/no-root-user.js';
import * as SC2014 from './compose/memory-limit.js';
import * as SC2015 from './compose/pids-limit.js';
import * as SC2016 from './compose/bounded-restart.js';
import * as SC2017 from './compose/no-literal-secret-env.js';
import * as SC2018 from './compose/no-latest-image.js';
import * as SC2019 from './compose/no-untagged-image.js';
import * as SC2020 from './compose/trusted-image.js';
import * as SC2021 from './compose/no-ssh-port.js';

export const ruleModules: readonly RuleModule[] = [
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
];

export const allRules: readonly Rule[] = ruleModules.map((m) => m.rule);
export const ruleById: ReadonlyMap<string, Rule> = new Map(allRules.map((r) => [r.meta.id, r]));
export const dockerfileRules: readonly DockerfileRule[] = allRules.filter(
  (r): r is DockerfileRule => r.meta.kind === 'dockerfile',
);
export const composeRules: readonly ComposeRule[] = allRules.filter((r): r is ComposeRule => r.meta.kind === 'compose');
export const engineRules: readonly MetaRule[] = allRules.filter((r): r is MetaRule => r.meta.kind === 'any');

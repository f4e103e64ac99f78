// Every verify rule, in id order: one import a rule (each file holds its meta, check and case table).
import type { VerifyRuleModule } from '../types.js';
import * as user from './user.js';
import * as noShell from './no-shell.js';
import * as noPackageManager from './no-package-manager.js';
import * as healthcheck from './healthcheck.js';
import * as ociLabels from './oci-labels.js';
import * as noSecretFiles from './no-secret-files.js';
import * as imageSize from './image-size.js';
import * as layerCount from './layer-count.js';
import * as smokeRun from './smoke-run.js';
import * as scanComplete from './scan-complete.js';

export const verifyRuleModules: VerifyRuleModule[] = [
  user,
  noShell,
  noPackageManager,
  healthcheck,
  ociLabels,
  noSecretFiles,
  imageSize,
  layerCount,
  smokeRun,
  scanComplete,
];

export const verifyRules = verifyRuleModules.map((m) => m.rule);

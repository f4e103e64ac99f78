// Where a Python app's port is read from in its code (the generic scan in lib/detect/port.ts runs
// these): the profile's `code` and a uv workspace member's own scan share them.
import type { CodeScan } from '../profile.js';

export const PYTHON_CODE: CodeScan = {
  files: /\.py$/,
  ports: [
    /\.run\([^)]{0,300}?\bport\s*=\s*(?:int\(\s*)?(?:os\.(?:environ\.get|getenv)\(\s*['"]\w*PORT['"]\s*,\s*)?['"]?(\d{1,6})\b/g,
    /^(?:PORT|port|HTTP_PORT|APP_PORT|SERVER_PORT|DEFAULT_PORT)\s*(?::\s*int\s*)?=\s*(?:int\(\s*)?(?:os\.(?:environ\.get|getenv)\(\s*['"]\w*PORT['"]\s*,\s*)?['"]?(\d{1,6})\b/gm,
    /os\.(?:environ\.get|getenv)\(\s*['"](?:PORT|HTTP_PORT|APP_PORT)['"]\s*,\s*['"]?(\d{1,6})\b/g,
  ],
};

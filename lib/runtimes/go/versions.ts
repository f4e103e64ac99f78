// The Go releases this runtime can build with, per flavour: the ONE list that the profile's
// `versions` (the base-image table the answers layer checks) and the detector (go.mod's `go`
// directive is a minimum: it picks the newest of them) both read. Every release here has an
// official golang:<release>-bookworm builder; the final images (distroless static/base, scratch,
// alpine) do not depend on the Go release (test/detect/versions-agree.test.ts checks).
import type { Flavor } from '../../core/types.js';

const RELEASES = ['1.21', '1.22', '1.23', '1.24', '1.25', '1.26', '1.27'] as const;

export const GO_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  distroless: RELEASES,
  alpine: RELEASES,
  scratch: RELEASES,
};

// The Rust releases this runtime can build with, per flavour: the ONE list that the profile's
// `versions` (the base-image table the answers layer checks) and the detector (rust-version is a
// minimum: it picks the newest of them; a rust-toolchain pin picks itself) both read. Every release
// here has official rust:<release>-bookworm and rust:<release>-alpine builders; the final images
// (distroless cc, alpine, scratch) do not depend on the release.
import type { Flavor } from '../../core/types.js';

const RELEASES = [
  '1.75',
  '1.76',
  '1.77',
  '1.78',
  '1.79',
  '1.80',
  '1.81',
  '1.82',
  '1.83',
  '1.84',
  '1.85',
  '1.86',
  '1.87',
  '1.88',
  '1.89',
  '1.90',
  '1.91',
  '1.92',
  '1.93',
  '1.94',
  '1.95',
] as const;

export const RUST_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  distroless: RELEASES,
  alpine: RELEASES,
  scratch: RELEASES,
};

// The .NET releases this runtime can build with, per flavour: the ONE list that the profile's
// `versions` (the base-image table the answers layer checks) and the detector (TargetFramework
// netX.Y) both read. Each has an SDK builder (mcr.microsoft.com/dotnet/sdk:<v>-noble), chiseled
// Ubuntu runtime images (aspnet/runtime:<v>-noble-chiseled: no shell, no package manager) and
// Alpine ones.
import type { Flavor } from '../../core/types.js';

const RELEASES = ['8.0', '9.0', '10.0'] as const;

export const DOTNET_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  distroless: RELEASES,
  alpine: RELEASES,
};

// The Java releases this runtime can build with, per flavour: the ONE list that the profile's
// `versions` (the base-image table the answers layer checks) and the detector both read.
// distroless ships a JRE per Debian release for the LTS lines 17 and 21
// (gcr.io/distroless/java<N>-debian12); Eclipse Temurin's JRE on Alpine covers 11 to 25. The
// builders (maven:3.9-eclipse-temurin-<N>, eclipse-temurin:<N>-jdk-noble) exist for all of them.
import type { Flavor } from '../../core/types.js';

export const JAVA_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  distroless: ['17', '21'],
  alpine: ['11', '17', '21', '25'],
};

/** The newest Java a Gradle release runs on (the wrapper runs Gradle on the builder's JDK). */
export function gradleMaxJava(gradle: string): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(gradle);
  if (!m) return undefined;
  const v = Number(m[1]) * 100 + Number(m[2]);
  if (v >= 901) return '25';
  if (v >= 805) return '21';
  if (v >= 703) return '17';
  if (v >= 500) return '11';
  return '8';
}

// The other scanners a rule's sameAs/related ids name (docs, SARIF relationships, the agreement
// figures). A module of its own: the audit's report formats need it, not the generated docs.

/** The tool an id of another tool belongs to, and how it is written in docs. */
export const TOOLS: readonly [name: string, test: (r: string) => boolean][] = [
  ['hadolint', (r) => /^DL\d+$/.test(r)],
  ['checkov', (r) => r.startsWith('CKV')],
  ['trivy', (r) => r.startsWith('DS-')],
  ['KICS', (r) => r.startsWith('KICS:')],
  ['kube-linter', (r) => r.startsWith('kube-linter:')],
  ['CIS Docker Benchmark 1.6.0', (r) => r.startsWith('CIS-')],
];

/** The tool of an id of another tool ("hadolint", "checkov", "trivy", "KICS", "CIS Docker Benchmark 1.6.0"). */
export function toolOf(ref: string): string {
  return TOOLS.find(([, f]) => f(ref))?.[0] ?? 'other';
}

// `yo secure-container:audit [paths…] [--format text|json|sarif] [--fail-on …] [--policy file] [--no-repo-policy] [--output file] [--list-rules] [--fix [--dry-run]]`
// A thin shell: it forwards its arguments to the same runAudit as `secure-container audit`.
import Generator from 'yeoman-generator';
import { runAudit } from '../../lib/audit/cli.js';

export default class AuditGenerator extends Generator {
  constructor(args: string[], options: Record<string, unknown>) {
    // the Yeoman base class types its options loosely; runAudit validates every value
    super(args, options as ConstructorParameters<typeof Generator>[1]);
    this.argument('paths', {
      type: Array,
      required: false,
      description: 'files or directories to audit (default: the project root)',
    });
    this.option('format', { type: String, description: 'text | json | sarif (default: text)' });
    this.option('fail-on', { type: String, description: 'error | warning | info | none (default: error)' });
    this.option('policy', {
      type: String,
      description: "trusted policy file: the repository's .secure-container.yaml is then ignored",
    });
    // --no-repo-policy: Yeoman's option parser reads it as repo-policy=false
    this.option('repo-policy', {
      type: Boolean,
      description: "read the repository's .secure-container.yaml (--no-repo-policy: ignore it, default policy)",
    });
    this.option('config', { type: String, description: 'same as --policy' });
    this.option('output', { type: String, description: 'write the report to this file' });
    this.option('list-rules', { type: Boolean, description: 'print every rule' });
    this.option('fix', {
      type: Boolean,
      description: 'fix what can be fixed safely, print the diff and the findings left',
    });
    this.option('dry-run', { type: Boolean, description: 'with --fix: print the diff only, write nothing' });
  }

  async default(): Promise<void> {
    const o = this.options as Record<string, unknown>;
    const argv: string[] = [...((o.paths as string[] | undefined) ?? [])];
    for (const k of ['format', 'fail-on', 'policy', 'config', 'output'] as const)
      if (typeof o[k] === 'string') argv.push(`--${k}`, o[k]);
    if (o['repo-policy'] === false || o.repoPolicy === false) argv.push('--no-repo-policy');
    if (o['list-rules'] === true || o.listRules === true) argv.push('--list-rules');
    if (o.fix === true) argv.push('--fix');
    if (o['dry-run'] === true || o.dryRun === true) argv.push('--dry-run');
    const code = await runAudit(argv, {
      cwd: this.destinationRoot(),
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
    });
    process.exitCode = code;
  }
}

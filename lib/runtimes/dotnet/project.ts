// Reading MSBuild project files (*.csproj, *.fsproj, *.vbproj) and the files MSBuild imports on
// its own (Directory.Build.props/.targets, Directory.Packages.props): just the properties and items
// detection needs. Text scans, bounded and pure; nothing is evaluated.
import { dirname } from '../../detect/text.js';

export interface MsProject {
  path: string;
  /** the project SDK(s): Microsoft.NET.Sdk.Web, Microsoft.NET.Sdk.Worker, Aspire.AppHost.Sdk … */
  sdks: string[];
  props: Partial<Record<string, string>>;
  /** ProjectReference paths, resolved against the project's directory (POSIX, normalised) */
  refs: string[];
  packages: string[];
  frameworks: string[];
}

const PROPS = [
  'TargetFramework',
  'TargetFrameworks',
  'AssemblyName',
  'OutputType',
  'IsTestProject',
  'IsAspireHost',
  'IsAspireSharedProject',
  'IsPackable',
  'InvariantGlobalization',
  'RestorePackagesWithLockFile',
  'PublishAot',
  'UseAppHost',
  'ManagePackageVersionsCentrally',
  'ContainerPort',
];

/** "src/Api" + "..\\Shared\\Shared.csproj" -> "src/Shared/Shared.csproj"; undefined when it leaves the repository. */
export function resolveRel(dir: string, rel: string): string | undefined {
  const parts = dir === '.' || dir === '' ? [] : dir.split('/');
  for (const seg of rel.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  const p = parts.join('/');
  return /^[A-Za-z0-9_][A-Za-z0-9._/ -]*$/.test(p) && !p.includes(' ') ? p : undefined;
}

export function parseProject(path: string, raw: string): MsProject {
  const text = raw.replace(/<!--[\s\S]*?-->/g, '');
  const sdks: string[] = [];
  const head = /<Project\b[^>]*\bSdk\s*=\s*"([^"]{1,200})"/.exec(text);
  if (head) sdks.push(...head[1].split(';').map((s) => s.split('/')[0].trim()));
  for (const m of text.matchAll(/<(?:Sdk|Import)\b[^>]*\b(?:Name|Sdk)\s*=\s*"([^"]{1,200})"/g))
    sdks.push(m[1].split('/')[0].trim());
  const props: Partial<Record<string, string>> = {};
  for (const p of PROPS) {
    const m = new RegExp(`<${p}(?:\\s[^>]*)?>\\s*([^<]{0,300}?)\\s*</${p}>`).exec(text);
    if (m) props[p] = m[1];
  }
  const dir = dirname(path);
  const item = (kind: string): string[] =>
    [...text.matchAll(new RegExp(`<${kind}\\b[^>]*\\bInclude\\s*=\\s*"([^"]{1,300})"`, 'g'))].map((m) => m[1]);
  return {
    path,
    sdks,
    props,
    refs: item('ProjectReference')
      .map((r) => resolveRel(dir, r))
      .filter((r): r is string => r !== undefined),
    packages: item('PackageReference'),
    frameworks: item('FrameworkReference'),
  };
}

/** Properties of the Directory.Build.props files above a project (nearest first), for what the project leaves out. */
export function inheritedProps(
  read: (p: string) => string | undefined,
  projectDir: string,
): { props: Partial<Record<string, string>>; files: string[] } {
  const props: Partial<Record<string, string>> = {};
  const files: string[] = [];
  let dir = projectDir;
  for (let i = 0; i < 8; i++) {
    for (const name of ['Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props']) {
      const f = dir === '.' ? name : `${dir}/${name}`;
      const text = read(f);
      if (text === undefined) continue;
      files.push(f);
      const p = parseProject(f, text).props;
      for (const [k, v] of Object.entries(p)) if (!(k in props)) props[k] = v;
    }
    if (dir === '.') break;
    dir = dirname(dir);
  }
  return { props, files };
}

/** "net8.0" -> "8.0"; "net10.0-windows" -> undefined (not Linux); "netstandard2.0" -> undefined. */
export function tfmVersion(tfm: string): string | undefined {
  const m = /^net(\d{1,2})\.(\d)(?:-([a-z]+)[\d.]*)?$/.exec(tfm.trim());
  const os = (m as readonly (string | undefined)[] | null)?.[3];
  if (!m || (os !== undefined && os !== 'linux')) return undefined;
  return `${Number(m[1])}.${m[2]}`;
}

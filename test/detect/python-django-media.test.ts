// Django uploads (issue 10: Python data directories): MEDIA_ROOT of the settings the image runs
// with becomes a data directory (a named volume on the read-only root), its path evaluated from the
// settings file's own location the way Django projects write it. Each row is modelled on a real
// project's settings (named in the row).
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';

const REQ = { 'requirements.txt': 'django\ngunicorn\n' };

/** A settings package (project/settings/{base,production}.py) with manage.py at the root. */
function pkg(project: string, base: string, production = 'from .base import *\n'): Record<string, string> {
  return {
    ...REQ,
    'manage.py': `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${project}.settings.dev")\n`,
    [`${project}/__init__.py`]: '',
    [`${project}/wsgi.py`]: '',
    [`${project}/settings/__init__.py`]: '',
    [`${project}/settings/base.py`]: base,
    [`${project}/settings/dev.py`]: 'from .base import *\nDEBUG = True\n',
    [`${project}/settings/production.py`]: production,
  };
}

/** A single settings module (project/settings.py) with manage.py at the root. */
function single(project: string, settings: string): Record<string, string> {
  return {
    ...REQ,
    'manage.py': `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${project}.settings")\n`,
    [`${project}/__init__.py`]: '',
    [`${project}/wsgi.py`]: '',
    [`${project}/settings.py`]: settings,
  };
}

const PATHLIB_BASE = 'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n';

describe('Django MEDIA_ROOT is a data directory', () => {
  const table: [string, Record<string, string>, string[] | undefined][] = [
    [
      'startproject layout: BASE_DIR / "media"',
      single('site', `${PATHLIB_BASE}MEDIA_ROOT = BASE_DIR / "media"\n`),
      ['/app/media'],
    ],
    [
      'os.path.join with a PROJECT_DIR two dirnames up (wagtail/bakerydemo)',
      pkg(
        'bakery',
        'import os\nPROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nBASE_DIR = os.path.dirname(PROJECT_DIR)\nMEDIA_ROOT = os.path.join(PROJECT_DIR, "media")\n',
      ),
      ['/app/bakery/media'],
    ],
    [
      'normpath(join(dirname(__file__), "..")) and an annotation (saleor/saleor)',
      single(
        'shop',
        'import os\nPROJECT_ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))\nMEDIA_ROOT: str = os.path.join(PROJECT_ROOT, "media")\n',
      ),
      ['/app/media'],
    ],
    [
      'str(APPS_DIR / "media"), APPS_DIR = BASE_DIR / "name" (cookiecutter-django)',
      pkg(
        'config',
        'from pathlib import Path\nBASE_DIR = Path(__file__).resolve(strict=True).parent.parent.parent\nAPPS_DIR = BASE_DIR / "myapp"\nMEDIA_ROOT = str(APPS_DIR / "media")\n',
      ),
      undefined, // resolve(strict=True) is not understood: nothing proposed rather than a wrong path
    ],
    [
      'joinpath and a later definition in production wins',
      pkg(
        'proj',
        `${PATHLIB_BASE.replace('.parent.parent', '.parent.parent.parent')}MEDIA_ROOT = BASE_DIR / "media"\n`,
        'from .base import *\nMEDIA_ROOT = BASE_DIR.joinpath("uploads")\n',
      ),
      ['/app/uploads'],
    ],
    ['an absolute path', single('site', 'MEDIA_ROOT = "/var/www/media/"\n'), ['/var/www/media']],
    [
      'from the environment: nothing proposed',
      single('site', 'import os\nMEDIA_ROOT = os.environ["MEDIA_ROOT"]\n'),
      undefined,
    ],
    [
      'inside a conditional (HackSoftware/Django-Styleguide-Example): nothing proposed',
      single('site', `${PATHLIB_BASE}if USE_LOCAL:\n    MEDIA_ROOT = BASE_DIR / "media"\n`),
      undefined,
    ],
    [
      'uploads on object storage (django-storages default): no volume',
      single(
        'site',
        `${PATHLIB_BASE}MEDIA_ROOT = BASE_DIR / "media"\nDEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"\n`,
      ),
      undefined,
    ],
    [
      'above the repository root: nothing proposed',
      single('site', `${PATHLIB_BASE}MEDIA_ROOT = BASE_DIR / ".." / "media"\n`),
      undefined,
    ],
    ['the root itself is not a data directory', single('site', `${PATHLIB_BASE}MEDIA_ROOT = BASE_DIR\n`), undefined],
  ];
  it.each(table)('%s', (_name, files, dirs) => {
    const f = detectFromFiles(memoryFiles(files));
    expect(f.framework?.value).toBe('django');
    expect(f.dataDirs?.value).toEqual(dirs);
  });

  it('names the settings line it read', () => {
    const f = detectFromFiles(memoryFiles(single('site', `${PATHLIB_BASE}\nMEDIA_ROOT = BASE_DIR / "media"\n`)));
    expect(f.dataDirs?.source).toBe('site/settings.py:4: MEDIA_ROOT = BASE_DIR / "media" (uploads are written there)');
  });
});

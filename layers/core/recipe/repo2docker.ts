/**
 * A recipe from a repo2docker (Binder) configuration: apt.txt, requirements.txt,
 * environment.yml, install.R and postBuild give the environment; an optional bakehouse.yaml the
 * rest (name, baseImage, volumes, …). Pure: the caller reads the files.
 */
import * as yaml from 'js-yaml';
import { type FieldIssue, ValidationError } from '../../base/errors';
import { AptPackage } from './fields';
import { InstallRError, packagesFromInstallR } from './install-r';
import { parseRecipe, type Recipe, type RecipeInput } from './schema';

/** File name → contents, as found in the repository (or its binder/ folder). */
export type RepoFiles = Readonly<Record<string, string>>;

/** Everything but the environment, which the repo2docker files decide. */
export type RecipeBase = Partial<Omit<RecipeInput, 'environment'>>;

export const REPO2DOCKER_FILES = [
  'apt.txt',
  'requirements.txt',
  'environment.yml',
  'install.R',
  'postBuild',
  'bakehouse.yaml',
] as const;

/**
 * repo2docker configuration that bakehouse cannot honour. Importing a repository that has one
 * would silently bake something else, so it is refused by name.
 */
export const UNSUPPORTED_FILES: Readonly<Record<string, string>> = {
  Dockerfile: 'a Dockerfile build is not a recipe',
  'runtime.txt': 'the Python or R version is that of the base image; choose a baseImage instead',
  'environment.yaml': 'repo2docker only reads environment.yml',
  'Project.toml': 'Julia environments are not supported',
  REQUIRE: 'Julia environments are not supported',
  'default.nix': 'Nix environments are not supported',
  'setup.py': 'installing the repository itself is not supported; use requirements.txt',
  Pipfile: 'Pipfile is not supported; use requirements.txt',
  'Pipfile.lock': 'Pipfile is not supported; use requirements.txt',
  DESCRIPTION: 'installing the repository as an R package is not supported; use install.R',
  start: 'seats start Jupyter themselves; a start script is not supported',
};

export function recipeFromRepo2docker(files: RepoFiles, base: RecipeBase = {}): Recipe {
  const issues: FieldIssue[] = Object.keys(UNSUPPORTED_FILES)
    .filter((name) => files[name] !== undefined)
    .map((name) => ({ path: name, message: `not supported: ${UNSUPPORTED_FILES[name]}` }));
  const settings = readSettings(files['bakehouse.yaml'], issues);
  const environment = {
    apt: readAptTxt(files['apt.txt'], issues),
    pip: [],
    requirements: nonBlank(files['requirements.txt']),
    conda: nonBlank(files['environment.yml']),
    r: readInstallR(files['install.R'], issues),
    postBuild: nonBlank(files.postBuild),
  };
  if (issues.length > 0) throw new ValidationError(issues, 'repo2docker configuration');
  return parseRecipe({ ...base, ...settings, environment });
}

function readSettings(text: string | undefined, issues: FieldIssue[]): Record<string, unknown> {
  if (text === undefined) return {};
  let settings: unknown;
  try {
    settings = yaml.load(text, { maxAliases: 0 });
  } catch (error) {
    issues.push({ path: 'bakehouse.yaml', message: `not valid YAML: ${firstLine(error)}` });
    return {};
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    issues.push({ path: 'bakehouse.yaml', message: 'must be a mapping of recipe fields' });
    return {};
  }
  if ('environment' in settings) {
    issues.push({
      path: 'bakehouse.yaml',
      message:
        'must not hold environment: it comes from apt.txt, requirements.txt, environment.yml, install.R and postBuild',
    });
  }
  return settings as Record<string, unknown>;
}

/** One package per line; `#` starts a comment. Each line is checked here to report its number. */
function readAptTxt(text: string | undefined, issues: FieldIssue[]): string[] {
  const packages: string[] = [];
  for (const [i, raw] of (text ?? '').split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const checked = AptPackage.safeParse(line);
    if (checked.success) packages.push(line);
    else
      issues.push({
        path: 'apt.txt',
        message: `line ${i + 1}: ${JSON.stringify(line)} ${checked.error.issues[0]?.message}`,
      });
  }
  return packages;
}

function readInstallR(text: string | undefined, issues: FieldIssue[]) {
  if (text === undefined) return { cran: [], bioconductor: [] };
  try {
    return packagesFromInstallR(text);
  } catch (error) {
    if (!(error instanceof InstallRError)) throw error;
    issues.push({ path: 'install.R', message: error.message });
    return { cran: [], bioconductor: [] };
  }
}

const nonBlank = (text: string | undefined) => (text?.trim() ? text : undefined);

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

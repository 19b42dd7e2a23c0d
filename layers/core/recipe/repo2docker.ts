/**
 * A recipe from a repo2docker (Binder) repository, file by file as repo2docker's buildpacks read
 * them (README: "repo2docker files"): apt.txt, environment.yml (or .yaml), requirements.txt,
 * runtime.txt, install.R, DESCRIPTION, postBuild; an optional bakehouse.yaml gives the rest
 * (name, baseImage, volumes, …) and the repository's files land in the Jupyter user's home.
 * Pure: the caller reads the files and says which directory they came from.
 */
import { type FieldIssue, ValidationError } from '../../base/errors';
import { AptPackage } from './fields';
import { InstallRError, packagesFromInstallR } from './install-r';
import { packRepository, type RepoContent } from './repository';
import { parseRecipe, type Recipe, type RecipeInput } from './schema';
import { loadRecipeYaml } from './yaml';

export type { RepoContent } from './repository';

/** File name → contents, as found in the configuration directory. */
export type RepoFiles = Readonly<Record<string, string>>;

/** Everything but the environment, which the repo2docker files decide. */
export type RecipeBase = Partial<Omit<RecipeInput, 'environment'>>;

/** Where repo2docker reads its configuration: `.binder/`, `binder/` or the repository's root. */
export type ConfigDir = '' | 'binder' | '.binder';

export interface Repository {
  configDir: ConfigDir;
  content: RepoContent;
}

export const REPO2DOCKER_FILES = [
  'apt.txt',
  'requirements.txt',
  'environment.yml',
  'environment.yaml',
  'runtime.txt',
  'install.R',
  'DESCRIPTION',
  'postBuild',
  'start',
  'bakehouse.yaml',
] as const;

/** Files repo2docker honours only at the root of a repository without a binder directory. */
export const ROOT_ONLY_FILES: readonly string[] = ['DESCRIPTION', 'setup.py', 'pyproject.toml'];

/**
 * repo2docker configuration that bakehouse cannot honour. Importing a repository that has one
 * would silently bake something else, so it is refused by name, before anything launches.
 */
export const UNSUPPORTED_FILES: Readonly<Record<string, string>> = {
  Dockerfile: 'a Dockerfile build is not a recipe',
  'Project.toml': 'Julia environments are not supported',
  'JuliaProject.toml': 'Julia environments are not supported',
  REQUIRE: 'Julia environments are not supported',
  'default.nix': 'Nix environments are not supported',
  'setup.py': 'installing the repository itself is not supported; use requirements.txt',
  Pipfile: 'Pipfile is not supported; use requirements.txt',
  'Pipfile.lock': 'Pipfile is not supported; use requirements.txt',
};

export function recipeFromRepo2docker(
  files: RepoFiles,
  base: RecipeBase = {},
  repository?: Repository,
): Recipe {
  const issues: FieldIssue[] = Object.keys(UNSUPPORTED_FILES)
    .filter((name) => files[name] !== undefined)
    .map((name) => ({ path: name, message: `not supported: ${UNSUPPORTED_FILES[name]}` }));
  const settings = readSettings(files['bakehouse.yaml'], issues);
  const runtime = readRuntime(files['runtime.txt'], issues);
  // repo2docker: environment.yml before environment.yaml; with either, requirements.txt is not read.
  const condaFile = files['environment.yml'] !== undefined ? 'environment.yml' : 'environment.yaml';
  const environmentYml = nonBlank(files[condaFile]);
  const pythonEnvironment =
    environmentYml ??
    (runtime?.python === undefined
      ? undefined
      : `dependencies:\n  - python=${runtime.python}\n  - pip\n`);
  const requirements =
    environmentYml === undefined ? nonBlank(files['requirements.txt']) : undefined;
  if (requirements !== undefined && repository) {
    checkRequirementRefs(requirements, repository, issues);
  }
  const description = files.DESCRIPTION !== undefined && repository?.configDir === '';
  const wantsR = runtime?.r === true || description;
  const postBuild = nonBlank(files.postBuild);
  const environment = {
    apt: readAptTxt(files['apt.txt'], issues),
    pip: [],
    requirements,
    conda: pythonEnvironment,
    r: wantsR
      ? {
          ...readInstallR(files['install.R'], issues),
          kernel: true,
          installRepository: description,
        }
      : { cran: [], bioconductor: [] },
    postBuild,
    ...(repository && postBuild !== undefined ? { postBuildAs: 'user' as const } : {}),
  };
  if (files.start !== undefined && !repository) {
    issues.push({ path: 'start', message: 'needs the repository it belongs to' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'repo2docker configuration');
  const start =
    files.start !== undefined && repository
      ? { start: repository.configDir ? `${repository.configDir}/start` : 'start' }
      : {};
  const conda = pythonEnvironment === undefined ? {} : { source: 'conda' };
  const jupyter =
    pythonEnvironment === undefined && files.start === undefined
      ? settings.jupyter
      : { ...(settings.jupyter as object | undefined), ...conda, ...start };
  return parseRecipe({
    ...base,
    ...settings,
    ...(jupyter === undefined ? {} : { jupyter }),
    environment,
    ...(repository
      ? {
          repository: {
            configDir: repository.configDir,
            files: packRepository(repository.content),
          },
        }
      : {}),
  });
}

function readSettings(text: string | undefined, issues: FieldIssue[]): Record<string, unknown> {
  if (text === undefined) return {};
  let settings: unknown;
  try {
    settings = loadRecipeYaml(text, 'bakehouse.yaml');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues.push(...error.issues);
    return {};
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    issues.push({ path: 'bakehouse.yaml', message: 'must be a mapping of recipe fields' });
    return {};
  }
  for (const key of ['environment', 'repository']) {
    if (key in settings) {
      issues.push({
        path: 'bakehouse.yaml',
        message: `must not hold ${key}: it comes from the repository's repo2docker files`,
      });
    }
  }
  return settings as Record<string, unknown>;
}

/**
 * runtime.txt as repo2docker reads it: `python-X.Y` (a conda environment with that Python) or
 * `r-…` (R requested; the version and snapshot date are those of the base image's R).
 */
function readRuntime(
  text: string | undefined,
  issues: FieldIssue[],
): { python?: string; r?: true } | undefined {
  if (text === undefined) return undefined;
  const line = text.trim();
  const python = /^python-(\d+\.\d+)$/.exec(line);
  if (python) return { python: python[1] };
  if (/^r-(\d+\.\d+(\.\d+)?-)?\d{4}-\d{2}-\d{2}$/.test(line) || /^r-\d+\.\d+(\.\d+)?$/.test(line)) {
    return { r: true };
  }
  issues.push({
    path: 'runtime.txt',
    message: 'must be python-X.Y, r-YYYY-MM-DD or r-X.Y-YYYY-MM-DD (as repo2docker reads it)',
  });
  return undefined;
}

/**
 * Each `-r FILE` / `-c FILE` of requirements.txt must name a file of the repository: pip reads it
 * relative to requirements.txt, and a missing one would fail only after a builder was launched.
 */
function checkRequirementRefs(text: string, repository: Repository, issues: FieldIssue[]) {
  for (const [i, raw] of text.split('\n').entries()) {
    const match = /^\s*(?:-r|-c|--requirement|--constraint)(?:\s+|=)(\S+)/.exec(raw);
    if (!match?.[1]) continue;
    const target = normalize([repository.configDir, match[1]].filter(Boolean).join('/'));
    if (target === undefined || !repository.content.has(target)) {
      issues.push({
        path: 'requirements.txt',
        message: `line ${i + 1}: refers to ${JSON.stringify(match[1])}, which is not a file of the repository`,
      });
    }
  }
}

/** `a/./b/../c` → `a/c`; undefined for a path that leaves the repository or is absolute. */
function normalize(path: string): string | undefined {
  if (path.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.pop() === undefined) return undefined;
    } else parts.push(part);
  }
  return parts.join('/');
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

/**
 * Recipes from disk: a YAML file, or a repo2docker directory. As repo2docker does, the
 * configuration files are read from `binder/` or `.binder/` when one exists (both at once is an
 * error) and from the root otherwise, and the whole directory is the repository that lands in
 * the student's home. A symbolic link is followed only while it stays inside the directory; one
 * that leaves it is refused by its path, and nothing is read through it.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { NotFoundError, ValidationError } from '../layers/base/errors';
import {
  type ConfigDir,
  REPO2DOCKER_FILES,
  type RecipeBase,
  type RepoContent,
  ROOT_ONLY_FILES,
  recipeFromRepo2docker,
  UNSUPPORTED_FILES,
} from '../layers/core/recipe/repo2docker';
import { parseRecipe, type Recipe } from '../layers/core/recipe/schema';

/** Never part of the repository that is baked in. */
const SKIPPED = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.ipynb_checkpoints',
]);
/** Bounds on what is read at all; the compiled script's own bound is far lower. */
const MAX_FILES = 5_000;
const MAX_READ_BYTES = 64 * 1024 * 1024;

export async function loadRecipe(path: string): Promise<Recipe> {
  const kind = await stat(path).catch(() => {
    throw new NotFoundError(`no recipe at ${path}`);
  });
  if (!kind.isDirectory()) return parseRecipe(utf8(await readFile(path), basename(path)));
  const root = await realpath(path);
  const content = await readRepository(root);
  const configDir = chooseConfigDir(content);
  const names = [...REPO2DOCKER_FILES, ...Object.keys(UNSUPPORTED_FILES)].filter(
    (name) => configDir === '' || !ROOT_ONLY_FILES.includes(name),
  );
  const files: Record<string, string> = {};
  for (const name of names) {
    const file = content.get(configDir ? `${configDir}/${name}` : name);
    if (file) files[name] = utf8(file.data, name);
  }
  const settings = content.get('bakehouse.yaml');
  if (files['bakehouse.yaml'] === undefined && settings) {
    files['bakehouse.yaml'] = utf8(settings.data, 'bakehouse.yaml');
  }
  return recipeFromRepo2docker(files, nameFrom(path), { configDir, content });
}

/** The file's text; bytes that are not UTF-8 are refused rather than turned into U+FFFD. */
function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError([{ path: name, message: 'is not valid UTF-8' }], 'recipe file');
  }
}

/** repo2docker's rule: `.binder/` or `binder/`, never both; the root when neither exists. */
function chooseConfigDir(content: RepoContent): ConfigDir {
  const has = (dir: string) => [...content.keys()].some((p) => p.startsWith(`${dir}/`));
  if (has('binder') && has('.binder')) {
    throw new ValidationError(
      [
        {
          path: 'binder',
          message: "the repository has both 'binder' and '.binder'; repo2docker allows one",
        },
      ],
      'repo2docker configuration',
    );
  }
  return has('.binder') ? '.binder' : has('binder') ? 'binder' : '';
}

/** Every regular file under `root` (relative path → bytes, executable bit), links checked. */
async function readRepository(
  root: string,
): Promise<Map<string, { data: Buffer; executable: boolean }>> {
  const content = new Map<string, { data: Buffer; executable: boolean }>();
  const refused: { path: string; message: string }[] = [];
  let bytes = 0;
  const walk = async (directory: string): Promise<void> => {
    const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue;
      const full = join(directory, entry.name);
      const path = relative(root, full).split(sep).join('/');
      let target = full;
      if ((await lstat(full)).isSymbolicLink()) {
        const resolved = await realpath(full).catch(() => undefined);
        if (resolved === undefined || !isInside(root, resolved)) {
          refused.push({ path, message: 'is a symbolic link that leaves the recipe directory' });
          continue;
        }
        target = resolved;
      }
      const info = await stat(target);
      if (info.isDirectory()) {
        if (target === full) await walk(full);
        continue;
      }
      if (!info.isFile()) continue;
      bytes += info.size;
      if (content.size >= MAX_FILES || bytes > MAX_READ_BYTES) {
        throw new ValidationError(
          [
            {
              path: '(repository)',
              message: `more than ${MAX_FILES} files or ${MAX_READ_BYTES} bytes`,
            },
          ],
          'repository',
        );
      }
      content.set(path, { data: await readFile(target), executable: (info.mode & 0o111) !== 0 });
    }
  };
  await walk(root);
  if (refused.length > 0) throw new ValidationError(refused, 'repository');
  return content;
}

const isInside = (root: string, path: string) => path === root || path.startsWith(`${root}${sep}`);

/** The directory's name as the recipe name when it makes a valid one; bakehouse.yaml may override. */
function nameFrom(path: string): RecipeBase {
  const name = basename(path)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return /^[a-z][a-z0-9-]{2,62}$/.test(name) ? { name } : {};
}

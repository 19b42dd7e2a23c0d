/**
 * Recipes from disk: a YAML file, or a repo2docker directory (its binder/ or .binder/ folder when
 * there is one, as repo2docker does) with an optional bakehouse.yaml beside the other files.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NotFoundError, ValidationError } from '../layers/base/errors';
import {
  REPO2DOCKER_FILES,
  type RecipeBase,
  recipeFromRepo2docker,
  UNSUPPORTED_FILES,
} from '../layers/core/recipe/repo2docker';
import { parseRecipe, type Recipe } from '../layers/core/recipe/schema';

export async function loadRecipe(path: string): Promise<Recipe> {
  const kind = await stat(path).catch(() => {
    throw new NotFoundError(`no recipe at ${path}`);
  });
  if (!kind.isDirectory()) return parseRecipe(utf8(await readFile(path), basename(path)));
  const config = (await firstDirectory(join(path, 'binder'), join(path, '.binder'))) ?? path;
  const files = await readFiles(config, [...REPO2DOCKER_FILES, ...Object.keys(UNSUPPORTED_FILES)]);
  if (config !== path && files['bakehouse.yaml'] === undefined) {
    Object.assign(files, await readFiles(path, ['bakehouse.yaml']));
  }
  return recipeFromRepo2docker(files, nameFrom(path));
}

async function firstDirectory(...paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    if ((await stat(path).catch(() => undefined))?.isDirectory()) return path;
  }
  return undefined;
}

async function readFiles(directory: string, names: string[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of names) {
    const bytes = await readFile(join(directory, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (bytes !== undefined) files[name] = utf8(bytes, name);
  }
  return files;
}

/** The file's text; bytes that are not UTF-8 are refused rather than turned into U+FFFD. */
function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError([{ path: name, message: 'is not valid UTF-8' }], 'recipe file');
  }
}

/** The directory's name as the recipe name when it makes a valid one; bakehouse.yaml may override. */
function nameFrom(path: string): RecipeBase {
  const name = basename(path)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return /^[a-z][a-z0-9-]{2,62}$/.test(name) ? { name } : {};
}

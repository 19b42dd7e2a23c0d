/**
 * Baked root filesystems: the base rootfs after a recipe's compiled bake script ran in it, cached
 * by recipe hash so the seat tests do not install Jupyter on every run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompiledRecipe, compileRecipe } from '../../../layers/core/recipe/compile';
import { parseRecipe, type Recipe } from '../../../layers/core/recipe/schema';
import { Container } from './container';
import { baseRootfsArchive, CACHE_DIR, mountRootfs, packRootfs, releaseRootfs } from './rootfs';

const EXAMPLES = fileURLToPath(new URL('../../../examples/recipes', import.meta.url));

export function loadExample(name: string): Recipe {
  return parseRecipe(readFileSync(join(EXAMPLES, `${name}.yaml`), 'utf8'));
}

export function compileExample(name: string): CompiledRecipe {
  return compileRecipe(loadExample(name));
}

export function bakedArchivePath(recipe: CompiledRecipe): string {
  return join(CACHE_DIR, `bookworm-baked-${recipe.recipeHash}.tar.zst`);
}

/** The cached rootfs baked with `recipe`, baking it in a fresh container when missing. */
export async function bakedRootfsArchive(recipe: CompiledRecipe): Promise<string> {
  const archive = bakedArchivePath(recipe);
  if (existsSync(archive)) return archive;
  const root = await mountRootfs(await baseRootfsArchive());
  try {
    const container = await Container.boot(root);
    try {
      const ran = await container.runScript(recipe.script);
      if (ran.code !== 0) {
        throw new Error(`bake script exited ${ran.code}\n${ran.stdout}\n${ran.stderr}`);
      }
    } finally {
      await container.stop();
    }
    await packRootfs(root, archive);
  } finally {
    await releaseRootfs(root);
  }
  return archive;
}

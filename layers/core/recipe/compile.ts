/**
 * Recipe → the bash script Run Command executes as root on the builder instance.
 *
 * The script is deterministic (same recipe, same bytes) and idempotent on the instance: each phase
 * is skipped once it has succeeded with the same content, and what phases do is itself guarded
 * (mkfs only on a blank volume, fstab lines and the user added only when missing, apt installs of
 * present packages are no-ops). It assumes a Debian-family base (Debian 12, Ubuntu 22.04+) and
 * nothing beyond a minimal install: no sudo, no cloud-init, no lsb_release.
 */
import * as z from 'zod';
import { parseOrThrow } from '../../base/validate';
import { scriptTravel } from '../script-object/script-object';
import { recipePhases } from './phases';
import { type Recipe, RecipeSchema } from './schema';
import { renderScript, sha256 } from './script';

/** Part of every recipe hash: bump it when the compiled script changes for the same recipe. */
export const COMPILER_VERSION = '1';

export interface CompiledRecipe {
  script: string;
  /** 16 hex digits identifying the recipe (after defaults) and the compiler that compiled it. */
  recipeHash: string;
  /** In the Run Command request itself, or as an S3 object the builder fetches (too large). */
  travel: 'command' | 'object';
}

/**
 * The bake script for `recipe`. The recipe is validated again here, so no value that escaped the
 * schema can reach the script even when a caller builds a Recipe by hand, and a script too large
 * even for an S3 object is refused here (ValidateRecipe compiles), before any launch.
 */
export function compileRecipe(recipe: Recipe): CompiledRecipe {
  const normalized = parseOrThrow(RecipeSchema, recipe, 'recipe');
  const recipeHash = hashRecipe(normalized);
  const script = renderScript(
    [
      `bakehouse bake script for recipe ${normalized.name}`,
      `recipe hash ${recipeHash}, compiler version ${COMPILER_VERSION}`,
    ],
    recipePhases(normalized),
  );
  const travel = scriptTravel(script, 'recipe', 'the compiled bake script');
  return { script, recipeHash, travel };
}

export function hashRecipe(recipe: Recipe): string {
  return sha256(`bakehouse-recipe ${COMPILER_VERSION}\n${canonicalJson(recipe)}`).slice(0, 16);
}

/** JSON with object keys sorted at every level, so key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

const TtlSchema = z.strictObject({
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});

/**
 * User data for the builder: powers it off `ttlMinutes` after boot even if the orchestration that
 * should terminate it is gone (it is launched with InstanceInitiatedShutdownBehavior=terminate).
 *
 * A cloud-init boothook rather than a plain user-data script: boothooks run on every boot, so the
 * reboot CreateImage performs re-arms the timer instead of clearing it. They run before D-Bus is
 * up, which `shutdown +N` needs; `systemd-run` talks to systemd directly, and plain `shutdown` is
 * the fallback where that fails. Nothing of it stays in the image: boothooks come from the
 * instance's own user data. Three lines with the minutes written out, which the simulated EC2
 * reads back (powerOffMinutes); test/unit/shellcheck.test.ts checks them.
 */
export function builderUserData(ttlMinutes: number): string {
  const { ttlMinutes: ttl } = parseOrThrow(TtlSchema, { ttlMinutes }, 'builder lifetime');
  return [
    '#cloud-boothook',
    '#!/bin/sh',
    `systemd-run --unit=bakehouse-builder-ttl --on-active=${ttl}min /usr/bin/systemctl poweroff ||`,
    `  shutdown -P +${ttl}`,
    '',
  ].join('\n');
}

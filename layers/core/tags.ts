import { createHash } from 'node:crypto';

/** Every resource bakehouse creates carries these tags; IAM conditions and the clean-up steps rely on them. */
export const TAG = {
  name: 'Name',
  stack: 'bakehouse:stack',
  kind: 'bakehouse:kind',
  bake: 'bakehouse:bake-id',
  recipeHash: 'bakehouse:recipe-hash',
  classroom: 'bakehouse:class',
  seat: 'bakehouse:seat',
  batch: 'bakehouse:batch',
  /** The launch of a batch's waiting seats an instance came from (see launch-spec.ts). */
  launch: 'bakehouse:launch',
  expiresAt: 'bakehouse:expires-at',
  jupyterPort: 'bakehouse:jupyter-port',
} as const;

export type Kind = 'builder' | 'image' | 'image-test' | 'seat' | 'security-group' | 'address';
export type Tags = Record<string, string>;

/**
 * A ClientToken (≤ 64 ASCII chars) derived from its parts: the same parts always give the same
 * token, so a retried launch returns the instances of the first attempt instead of new ones.
 */
export function idempotencyToken(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `bh-${digest.slice(0, 48)}`;
}

/** AMI names are unique per account and region: derived from the bake, so a retry finds it. */
export function imageName(recipeName: string, recipeHash: string, bakeId: string): string {
  const id = bakeId.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60);
  return `${recipeName}-${recipeHash}-${id}`.slice(0, 128);
}

export function expiresAt(now: Date, minutes: number): string {
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

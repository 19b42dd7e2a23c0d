/**
 * Decisions of the bake pipeline: what to launch, how long to wait, how to read a command's or an
 * image's state, and how to report a failure. Pure: the handlers feed it what the adapters saw.
 */
import * as z from 'zod';
import { ImageFailedError, ScriptFailedError } from '../base/errors';
import { POLL } from './bake-poll';
import { COPY_OF_TAG, copyOfTagValue } from './image-copies';
import type { LaunchSpec } from './launch';
import { builderUserData } from './recipe/compile';
import { failureLine } from './recipe/phase-log';
import { type Recipe, RecipeSchema } from './recipe/schema';
import { expiresAt, idempotencyToken, imageName, TAG, type Tags } from './tags';

/** Minutes a builder may live before its own shutdown timer ends it, beyond the script's budget. */
const BUILDER_GRACE_MINUTES = 120;
const OUTPUT_TAIL_CHARS = 2_000;

export const BakeSchema = z.object({
  bakeId: z.string().min(1).max(80),
  region: z.string(),
  recipe: RecipeSchema,
  recipeHash: z.string(),
  /** How many script polls fit in the recipe's timeout (plus slack for delivery). */
  scriptChecks: z.number().int().positive(),
  /** The recipe's `regions`: where the tested image is copied (always present for the ASL). */
  copyRegions: z.array(z.string()).default([]),
});
export type Bake = z.infer<typeof BakeSchema>;

export function planBake(recipe: Recipe, recipeHash: string, bakeId: string): Bake {
  const scriptChecks = Math.ceil((recipe.builder.timeoutMinutes * 60) / POLL.script.seconds) + 10;
  const copyRegions = recipe.regions ?? [];
  return { bakeId, region: recipe.region, recipe, recipeHash, scriptChecks, copyRegions };
}

export function bakeTags(
  bake: Bake,
  stackName: string,
  kind: 'builder' | 'image' | 'image-test',
): Tags {
  return {
    ...bake.recipe.tags,
    [TAG.name]: `${bake.recipe.name} ${kind}`,
    [TAG.stack]: stackName,
    [TAG.kind]: kind,
    [TAG.bake]: bake.bakeId,
    [TAG.recipeHash]: bake.recipeHash,
    [TAG.jupyterPort]: String(bake.recipe.jupyter.port),
  };
}

/** The builder's whole life, in minutes, after which it shuts itself down (and is terminated). */
export const builderLifetimeMinutes = (bake: Bake) =>
  bake.recipe.builder.timeoutMinutes + BUILDER_GRACE_MINUTES;

export function builderLaunchSpec(
  bake: Bake,
  base: { imageId: string; rootDeviceName: string },
  context: {
    executionId: string;
    stackName: string;
    instanceProfileName: string;
    /** A group with no inbound rule: SSM Run Command needs none. */
    securityGroupId: string;
    now: Date;
  },
): LaunchSpec {
  const { recipe } = bake;
  const lifetime = builderLifetimeMinutes(bake);
  return {
    imageId: base.imageId,
    instanceType: recipe.builder.instanceType,
    count: 1,
    clientToken: idempotencyToken('builder', context.executionId),
    subnetId: recipe.builder.subnetId,
    securityGroupIds: [context.securityGroupId],
    market: 'on-demand',
    instanceProfileName: context.instanceProfileName,
    rootDeviceName: base.rootDeviceName,
    rootVolumeGiB: recipe.builder.rootVolumeGiB,
    volumes: recipe.volumes.map(({ device, sizeGiB, type, encrypted, iops }) => ({
      device,
      sizeGiB,
      type,
      encrypted,
      iops,
    })),
    userData: builderUserData(lifetime),
    shutdownBehavior: 'terminate',
    tags: {
      ...bakeTags(bake, context.stackName, 'builder'),
      [TAG.expiresAt]: expiresAt(context.now, lifetime),
    },
  };
}

/** One group for every builder of the stack in a VPC, with no inbound rule at all. */
export const builderSecurityGroupName = (stackName: string) => `${stackName}-builders`;

export function bakeImageName(bake: Bake): string {
  return imageName(bake.recipe.name, bake.recipeHash, bake.bakeId);
}

export function agentCheck(online: boolean, checks: number) {
  return { online, checks: checks + 1 };
}

const RUNNING = new Set(['Pending', 'InProgress', 'Delayed', 'Cancelling']);

/** Where a Run Command invocation stands; a finished failure throws with the output's tail. */
export function scriptProgress(
  invocation: { status: string; responseCode?: number; stdout: string; stderr: string } | undefined,
  checks: number,
  what = 'builder script',
) {
  const next = checks + 1;
  if (!invocation) return { done: false, status: 'Pending', checks: next, outputTail: '' };
  const outputTail = tail(invocation.stdout);
  if (RUNNING.has(invocation.status))
    return { done: false, status: invocation.status, checks: next, outputTail };
  if (invocation.status === 'Success')
    return { done: true, status: invocation.status, checks: next, outputTail };
  const failedPhase = failureLine(invocation.stdout);
  throw new ScriptFailedError(
    [
      `${what} ${invocation.status}${invocation.responseCode === undefined ? '' : ` (exit ${invocation.responseCode})`}`,
      failedPhase,
      what === 'image test' ? tail(invocation.stdout, 1_500) : undefined,
      tail(invocation.stderr, 500) || undefined,
    ]
      .filter(Boolean)
      .join(': '),
  );
}

export function tail(text: string, chars = OUTPUT_TAIL_CHARS): string {
  return text.length <= chars ? text : `…${text.slice(-chars)}`;
}

export function imageProgress(
  image: { state: string; reason?: string } | undefined,
  checks: number,
) {
  if (!image) throw new ImageFailedError('image disappeared while it was being created');
  if (
    image.state === 'failed' ||
    image.state === 'error' ||
    image.state === 'invalid' ||
    image.state === 'deregistered'
  ) {
    throw new ImageFailedError(`image ${image.state}${image.reason ? `: ${image.reason}` : ''}`);
  }
  return { done: image.state === 'available', state: image.state, checks: checks + 1 };
}

export interface CopyRequest {
  /** The destination: CopyImage is sent to this region's endpoint. */
  region: string;
  sourceRegion: string;
  sourceImageId: string;
  name: string;
  description: string;
  /** One per bake and destination: a retried copy answers the first one's image. */
  clientToken: string;
  tags: Tags;
}

/**
 * One CopyImage per region of the recipe's `regions` (see image-copies.ts): encrypted (the adapter
 * insists), tagged like the image itself and with the source it is a copy of.
 */
export function copyRequests(
  bake: Bake,
  sourceImageId: string,
  context: { executionId: string; stackName: string },
): CopyRequest[] {
  return bake.copyRegions.map((region) => ({
    region,
    sourceRegion: bake.region,
    sourceImageId,
    name: bakeImageName(bake),
    description: `bakehouse ${bake.recipe.name} (recipe ${bake.recipeHash}), copy of ${sourceImageId} from ${bake.region}`,
    clientToken: idempotencyToken('copy', context.executionId, region),
    tags: {
      ...bakeTags(bake, context.stackName, 'image'),
      [COPY_OF_TAG]: copyOfTagValue({ region: bake.region, imageId: sourceImageId }),
    },
  }));
}

/**
 * A recipe: what to bake into a machine image, and where. Written by people as YAML (or imported
 * from a repo2docker directory), parsed here once; everything downstream trusts the result.
 */
import * as yaml from 'js-yaml';
import { z } from 'zod';
import { ValidationError } from '../../base/errors';
import { parseOrThrow } from '../../base/validate';
import {
  AptPackage,
  BaseImage,
  BLOCK_DEVICE,
  INSTANCE_TYPE,
  MountPoint,
  PipRequirement,
  RecipeName,
  Region,
  RPackage,
  SUBNET_ID,
  TagKey,
  TagValue,
  textField,
  UnixUser,
} from './fields';

export { type BaseImageKind, baseImageKind } from './fields';

const VOLUME_TYPES = ['gp3', 'gp2', 'io2', 'st1', 'sc1'] as const;
type VolumeType = (typeof VOLUME_TYPES)[number];

/** The smallest volume EBS creates of each type, in GiB. */
const MIN_VOLUME_GIB: Record<VolumeType, number> = { gp3: 1, gp2: 1, io2: 4, st1: 125, sc1: 125 };

export const VolumeSchema = z
  .strictObject({
    device: z.string().regex(BLOCK_DEVICE, 'must be one of /dev/sdf … /dev/sdp'),
    sizeGiB: z.number().int().min(1).max(16384),
    type: z.enum(VOLUME_TYPES).default('gp3'),
    /** Provisioned IOPS: required by io2 (at most 1000 per GiB), refused for other types. */
    iops: z.number().int().min(100).max(256_000).optional(),
    encrypted: z.boolean().default(true),
    mountPoint: MountPoint,
    filesystem: z.enum(['ext4', 'xfs']).default('ext4'),
  })
  .superRefine((volume, ctx) => {
    const min = MIN_VOLUME_GIB[volume.type];
    if (volume.sizeGiB >= 1 && volume.sizeGiB < min) {
      ctx.addIssue({
        code: 'custom',
        path: ['sizeGiB'],
        message: `${volume.type} volumes are at least ${min} GiB`,
      });
    }
    if (volume.type === 'io2' && volume.iops === undefined) {
      ctx.addIssue({ code: 'custom', path: ['iops'], message: 'io2 volumes need iops' });
    }
    if (volume.type !== 'io2' && volume.iops !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['iops'], message: 'iops is only set for io2 volumes' });
    }
    if (volume.iops !== undefined && volume.iops > volume.sizeGiB * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['iops'],
        message: 'io2 allows at most 1000 IOPS per GiB',
      });
    }
  });

/** Reports the second (and later) use of a device or mount point, naming the first. */
function requireUnique(volumes: unknown[], ctx: z.RefinementCtx, key: 'device' | 'mountPoint') {
  const seen = new Map<unknown, number>();
  volumes.forEach((volume, i) => {
    const value = (volume as Record<string, unknown> | null)?.[key];
    if (typeof value !== 'string') return;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else ctx.addIssue({ code: 'custom', path: [i, key], message: `same as volumes[${first}]` });
  });
}

export const BuilderSchema = z.strictObject({
  instanceType: z
    .string()
    .max(32)
    .regex(INSTANCE_TYPE, 'must be an EC2 instance type such as t3.large')
    .default('t3.large'),
  rootVolumeGiB: z.number().int().min(8).max(2048).default(30),
  /** The Run Command execution timeout of the bake script. */
  timeoutMinutes: z.number().int().min(5).max(480).default(60),
  subnetId: z.string().regex(SUBNET_ID, 'must be a subnet id (subnet-…)').optional(),
});

const MAX_TAGS = 40;

/**
 * Tags by key. A `__proto__` key (JSON.parse makes it an own property) would be dropped without a
 * word by the record, so it is refused by name instead.
 */
export const TagsSchema = z
  .preprocess(
    (tags, ctx) => {
      if (typeof tags === 'object' && tags !== null && Object.hasOwn(tags, '__proto__')) {
        ctx.addIssue({
          code: 'custom',
          path: ['__proto__'],
          message: 'is not a tag key bakehouse can keep',
        });
      }
      return tags;
    },
    z.record(z.string(), TagValue),
  )
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    if (keys.length > MAX_TAGS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_TAGS} tags` });
    }
    for (const key of keys) {
      const result = TagKey.safeParse(key);
      for (const issue of result.error?.issues ?? []) {
        ctx.addIssue({ code: 'custom', path: [key], message: issue.message });
      }
    }
  })
  .default({});

/** environment.yml text: checked to be a YAML mapping so a typo fails now, not mid-bake. */
const CondaEnvironment = textField('conda').superRefine((text, ctx) => {
  try {
    const document = yaml.load(text);
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      ctx.addIssue({ code: 'custom', message: 'must be an environment.yml mapping' });
    }
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is not valid YAML: ${firstLine(error)}` });
  }
});

export const EnvironmentSchema = z.strictObject({
  apt: z.array(AptPackage).max(500).default([]),
  pip: z.array(PipRequirement).max(500).default([]),
  /** requirements.txt text, installed with `pip install -r`. */
  requirements: textField('requirements').optional(),
  /** environment.yml text; installs Miniforge, downloaded at bake time. */
  conda: CondaEnvironment.optional(),
  r: z
    .strictObject({
      cran: z.array(RPackage).max(500).default([]),
      bioconductor: z.array(RPackage).max(500).default([]),
    })
    .prefault({}),
  /** A script run as root after everything else is installed. */
  postBuild: textField('postBuild').optional(),
});

export const JupyterSchema = z
  .strictObject({
    flavour: z.enum(['lab', 'notebook']).default('lab'),
    port: z
      .number()
      .int()
      .min(1024, 'must be an unprivileged port, 1024–65535')
      .max(65535, 'must be an unprivileged port, 1024–65535')
      .default(8888),
    /** `apt` installs Debian's jupyter-notebook package; `pip` a virtualenv with PyPI's. */
    source: z.enum(['pip', 'apt']).default('pip'),
  })
  .superRefine((jupyter, ctx) => {
    if (jupyter.source === 'apt' && jupyter.flavour !== 'notebook') {
      ctx.addIssue({
        code: 'custom',
        path: ['flavour'],
        message: "must be notebook when source is apt: Debian's jupyter-notebook has no lab",
      });
    }
  });

export const RecipeSchema = z.strictObject({
  name: RecipeName,
  region: Region.default('us-east-1'),
  baseImage: BaseImage,
  builder: BuilderSchema.prefault({}),
  volumes: z
    .array(VolumeSchema)
    .max(8)
    .superRefine((volumes, ctx) => {
      requireUnique(volumes, ctx, 'device');
      requireUnique(volumes, ctx, 'mountPoint');
    })
    .default([]),
  tags: TagsSchema,
  environment: EnvironmentSchema.prefault({}),
  jupyter: JupyterSchema.prefault({}),
  /** The unprivileged account Jupyter runs as. */
  user: UnixUser.default('student'),
});

export type Recipe = z.infer<typeof RecipeSchema>;
/** A recipe as written: every field with a default may be left out. */
export type RecipeInput = z.input<typeof RecipeSchema>;
export type Volume = z.infer<typeof VolumeSchema>;

/**
 * A recipe from an object or YAML text, with defaults filled in. Throws a ValidationError naming
 * every bad field by path (a YAML syntax error is reported at `recipe`).
 */
export function parseRecipe(input: unknown): Recipe {
  return parseOrThrow(
    RecipeSchema,
    typeof input === 'string' ? loadRecipeYaml(input) : input,
    'recipe',
  );
}

/**
 * A recipe document's YAML, not yet validated. Aliases are refused: a recipe has no use for them,
 * and a few nested ones expand into billions of nodes for whatever walks the result.
 */
export function loadRecipeYaml(text: string): unknown {
  try {
    return yaml.load(text, { maxAliases: 0 });
  } catch (error) {
    const reason = /maxAliases/.test(firstLine(error))
      ? 'YAML aliases (*name) are not accepted in a recipe'
      : `not valid YAML: ${firstLine(error)}`;
    throw new ValidationError([{ path: 'recipe', message: reason }], 'recipe');
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * A recipe: what to bake into a machine image, and where. Written by people as YAML (or imported
 * from a repo2docker directory), parsed here once; everything downstream trusts the result.
 */
import * as z from 'zod';
import { parseOrThrow } from '../../base/validate';
import { withRegion } from '../default-region';
import { MAX_COPY_REGIONS } from '../image-copies';
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
import { loadRecipeYaml } from './yaml';

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

/** A path inside the repository: relative, no empty, `.` or `..` segment, no control character. */
export const RepoPath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (path) =>
      ![...path].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) &&
      path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'must be a relative path without empty, . or .. segments, backslashes or control characters',
  );

/** environment.yml text: checked to be a YAML mapping so a typo fails now, not mid-bake. */
const CondaEnvironment = textField('conda').superRefine((text, ctx) => {
  let document: unknown;
  try {
    document = loadRecipeYaml(text, 'conda');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is ${issueMessage(error)}` });
    return;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    ctx.addIssue({ code: 'custom', message: 'must be an environment.yml mapping' });
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
      /** R and its Jupyter kernel even with no package listed (repo2docker: R was requested). */
      kernel: z.boolean().default(false),
      /** Install the repository itself as an R package (repo2docker: a DESCRIPTION file). */
      installRepository: z.boolean().default(false),
    })
    .prefault({}),
  /** A script run after everything else is installed. */
  postBuild: textField('postBuild').optional(),
  /**
   * Who runs postBuild: root in /root, or (as repo2docker does) the Jupyter user in its home,
   * where the repository is.
   */
  postBuildAs: z.enum(['root', 'user']).default('root'),
});

/**
 * The repository's files, which land in the Jupyter user's home as repo2docker puts them in
 * ${REPO_DIR}. Each file is gzip-compressed and base64-encoded: the files travel inside the bake
 * script, so their size counts against one Run Command request's limit (run-command.ts).
 */
export const RepositorySchema = z.strictObject({
  files: z
    .record(
      RepoPath,
      z.strictObject({
        gzip: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
        executable: z.boolean().default(false),
      }),
    )
    .default({}),
  /** Where repo2docker's configuration files sit: `binder`, `.binder` or the root (''). */
  configDir: z.enum(['', 'binder', '.binder']).default(''),
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
    /**
     * `apt` installs Debian's jupyter-notebook package; `pip` a virtualenv with PyPI's; `conda`
     * installs it into the environment.yml environment, which is then the one Jupyter runs in.
     */
    source: z.enum(['pip', 'apt', 'conda']).default('pip'),
    /**
     * A file of the repository that wraps the server command, as repo2docker's `start`: it is
     * run with Jupyter's command line as its arguments and must `exec "$@"`.
     */
    start: RepoPath.optional(),
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

export const RecipeSchema = z
  .strictObject({
    name: RecipeName,
    region: Region.default('us-east-1').meta({
      description: "Where the image is baked. Left out: the stack's own region.",
    }),
    /**
     * Other regions the tested image is copied to (encrypted), each waited for until available;
     * a class in any of them uses that region's copy. Left out, the image stays in `region`.
     */
    regions: z
      .array(Region.max(20, 'must be an AWS region such as eu-west-1'))
      .min(1, 'must name at least one region, or be left out')
      .max(MAX_COPY_REGIONS, `must name at most ${MAX_COPY_REGIONS} regions`)
      .optional(),
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
    repository: RepositorySchema.optional(),
    /**
     * The recipe's own smoke test: shell run as the Jupyter user in its home on an instance from
     * the baked image, after Jupyter answered; a failure fails the bake and discards the image.
     */
    test: z.strictObject({ commands: textField('test.commands') }).optional(),
  })
  .superRefine((recipe, ctx) => {
    const seen = new Map<string, number>();
    (recipe.regions ?? []).forEach((region, i) => {
      const first = seen.get(region);
      if (region === recipe.region)
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i],
          message: `is the recipe's own region (${recipe.region}), where the image is baked`,
        });
      else if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i],
          message: `same as regions[${first}]`,
        });
      else seen.set(region, i);
    });
    if (recipe.jupyter.source === 'conda' && recipe.environment.conda === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['jupyter', 'source'],
        message: 'conda needs environment.conda: the environment Jupyter runs in',
      });
    }
    const start = recipe.jupyter.start;
    if (start !== undefined && !Object.hasOwn(recipe.repository?.files ?? {}, start)) {
      ctx.addIssue({
        code: 'custom',
        path: ['jupyter', 'start'],
        message: 'must be a file of the repository',
      });
    }
    if (recipe.environment.r.installRepository && recipe.repository === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['environment', 'r', 'installRepository'],
        message: 'needs a repository to install',
      });
    }
  });

export type Recipe = z.infer<typeof RecipeSchema>;
/** A recipe as written: every field with a default may be left out. */
export type RecipeInput = z.input<typeof RecipeSchema>;
export type Volume = z.infer<typeof VolumeSchema>;

/**
 * A recipe from an object or YAML text, with defaults filled in; a recipe that names no `region`
 * is baked in `defaults.region` when given (the stack's own), else in us-east-1. Throws a
 * ValidationError naming every bad field by path (a YAML syntax error is reported at `recipe`).
 */
export function parseRecipe(input: unknown, defaults: { region?: string } = {}): Recipe {
  const recipe = typeof input === 'string' ? loadRecipeYaml(input) : input;
  return parseOrThrow(RecipeSchema, withRegion(recipe, defaults.region), 'recipe');
}

/** The message of a loader's ValidationError: `not valid YAML: …`. */
function issueMessage(error: unknown): string {
  const issues = (error as { issues?: { message: string }[] }).issues;
  return issues?.[0]?.message ?? 'not valid YAML';
}

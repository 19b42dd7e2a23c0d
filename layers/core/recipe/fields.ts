/**
 * The field schemas a recipe is made of. Every value that ends up in the builder's shell script is
 * held to a pattern here that leaves no room for shell syntax; the compiler quotes it as well.
 */
import * as z from 'zod';

export const RECIPE_NAME = /^[a-z][a-z0-9-]{2,62}$/;
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
export const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** Public parameters such as `/aws/service/debian/release/12/latest/amd64`. */
export const SSM_PUBLIC_PARAMETER = /^\/aws\/service(\/[A-Za-z0-9_.-]+)+$/;
export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const BLOCK_DEVICE = /^\/dev\/sd[f-p]$/;
export const MOUNT_POINT = /^\/[A-Za-z0-9/_.-]+$/;
/** A Debian package name, optionally pinned to a version: `python3-numpy`, `jq=1.6-2.1`. */
export const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+)?$/;
export const R_PACKAGE = /^[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9]$/;
export const UNIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

const PIP_NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const PIP_EXTRAS = `\\[${PIP_NAME}(?:,${PIP_NAME})*\\]`;
const PIP_CLAUSE = '(?:===|==|!=|~=|<=|>=|<|>)[A-Za-z0-9.*+!_-]+';
/**
 * The PEP 508 subset a recipe accepts on one line: `name`, `name[extra,…]`, then version clauses
 * joined by commas (`pandas>=2,<3`). No spaces, markers (`;`), URLs or options, so a requirement can
 * never become a second command or a pip flag.
 */
export const PIP_REQUIREMENT = new RegExp(
  `^${PIP_NAME}(?:${PIP_EXTRAS})?(?:${PIP_CLAUSE}(?:,${PIP_CLAUSE})*)?$`,
);

/** Directories a volume may not be mounted on or under: the system would stop working. */
const SYSTEM_TREES = [
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/run',
  '/opt/bakehouse',
  '/var/lib/bakehouse',
];
/** Directories a volume may go under but not replace, which would hide what the image holds. */
const SYSTEM_DIRECTORIES = ['/var', '/var/lib', '/opt', '/root'];

const isUnder = (path: string, tree: string) => path === tree || path.startsWith(`${tree}/`);

/** Accounts that exist on the base images or belong to the system: Jupyter must not run as them. */
const RESERVED_USERS = new Set([
  'root',
  'daemon',
  'bin',
  'sys',
  'sync',
  'nobody',
  'sshd',
  'messagebus',
  'www-data',
  '_apt',
  'ssm-user',
  'ec2-user',
  'ubuntu',
  'admin',
  'debian',
]);

/** Bounded because the compiled script travels inline in one Run Command request. */
const MAX_TEXT = 64 * 1024;

export const textField = (what: string) =>
  z
    .string()
    .max(MAX_TEXT, `${what} is longer than ${MAX_TEXT} characters`)
    .refine((text) => !text.includes('\u0000'), `${what} contains a NUL byte`)
    .refine(
      (text) => text.isWellFormed(),
      `${what} contains a lone surrogate, which UTF-8 cannot hold`,
    );

export const RecipeName = z
  .string()
  .regex(RECIPE_NAME, 'must be 3–63 characters of a–z, 0–9 and -, starting with a letter');

export const Region = z.string().regex(AWS_REGION, 'must be an AWS region such as us-east-1');

export const BaseImage = z
  .string()
  .refine(
    (value) => AMI_ID.test(value) || SSM_PUBLIC_PARAMETER.test(value),
    'must be an AMI id (ami-…) or an SSM public parameter path under /aws/service/',
  );

export type BaseImageKind = 'ami' | 'ssm-parameter';

/** Whether a (valid) base image names an AMI directly or must be resolved through SSM first. */
export function baseImageKind(baseImage: string): BaseImageKind {
  return AMI_ID.test(baseImage) ? 'ami' : 'ssm-parameter';
}

/** Why `path` cannot be a volume's mount point, or undefined when it can. */
export function mountPointProblem(path: string): string | undefined {
  if (path === '/') return 'must not be / itself';
  if (!MOUNT_POINT.test(path)) return 'must be an absolute path of letters, digits and / _ . -';
  if (path.split('/').some((part, i) => i > 0 && (part === '' || /^\.+$/.test(part)))) {
    return 'must be a normalized path: no empty, . or .. segments and no trailing /';
  }
  const tree = SYSTEM_TREES.find((system) => isUnder(path, system));
  if (tree) return `must not be ${tree} or under it`;
  if (SYSTEM_DIRECTORIES.includes(path)) return `must not be ${path} itself`;
  return undefined;
}

export const MountPoint = z
  .string()
  .max(255, 'mount points are at most 255 characters')
  .superRefine((path, ctx) => {
    const problem = mountPointProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const UnixUser = z
  .string()
  .regex(UNIX_USER, 'must be a user name: a–z, 0–9, _ and -, at most 32, not starting with a digit')
  .refine((name) => !RESERVED_USERS.has(name) && !name.startsWith('systemd-'), {
    message: 'must be an unprivileged account of its own, not a system or default login account',
  });

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+@-]*$/u;

export const TagKey = z
  .string()
  .min(1, 'tag keys must not be empty')
  .max(128, 'tag keys are at most 128 characters')
  .regex(TAG_TEXT, 'tag keys may hold letters, digits, spaces and _ . : / = + - @')
  .refine((key) => !/^(aws|bakehouse):/i.test(key), {
    message: 'tag keys starting with aws: or bakehouse: are reserved',
  });

export const TagValue = z
  .string()
  .max(256, 'tag values are at most 256 characters')
  .regex(TAG_TEXT, 'tag values may hold letters, digits, spaces and _ . : / = + - @');

export const AptPackage = z
  .string()
  .regex(APT_PACKAGE, 'must be a Debian package name, optionally =version');

export const PipRequirement = z
  .string()
  .max(200, 'requirements are at most 200 characters')
  .regex(
    PIP_REQUIREMENT,
    'must be a requirement like name, name[extra] or name>=1.2,<2 without spaces, markers or URLs',
  );

export const RPackage = z
  .string()
  .regex(R_PACKAGE, 'must be an R package name: letters, digits and dots, starting with a letter');

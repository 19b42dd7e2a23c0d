import * as z from 'zod';
import { ConfigError, ValidationError } from '../base/errors';
import { parseOrThrow } from '../base/validate';

/** Deployment settings, read from the environment once per cold start. */
export const ConfigSchema = z.object({
  STACK_NAME: z.string().min(1).default('bakehouse-dev'),
  STAGE: z.string().min(1).default('dev'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Instance profile that lets the SSM agent register on builders and seats. */
  INSTANCE_PROFILE_NAME: z.string().min(1).default('bakehouse-dev-instance'),
  /** The stack's bucket for bake scripts too large for one Run Command request. */
  SCRIPT_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
    .default('bakehouse-dev-scripts-123456789012-us-east-1'),
  /** The account the stack runs in: part of a builder's ARN, which names its script's key. */
  ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/)
    .default('123456789012'),
  /** Parameter Store prefix under which per-class secrets live. */
  PARAMETER_PREFIX: z
    .string()
    .regex(/^\/[A-Za-z0-9_.\-/]+[^/]$/)
    .default('/bakehouse/dev'),
  /** The role EventBridge Scheduler assumes to start a class's next step (an execution). */
  SCHEDULER_ROLE_ARN: z.string().default('arn:aws:iam::000000000000:role/bakehouse-dev-scheduler'),
  /** The one Route 53 hosted zone classes may name seats in (stage parameter); empty: none. */
  SEAT_HOSTED_ZONE_ID: z.string().default(''),
  /** The class store: one DynamoDB table of class, seat and bake records. */
  CLASSES_TABLE: z.string().min(3).default('bakehouse-dev-classes'),
  BAKE_STATE_MACHINE_ARN: z.string().optional(),
  CLASSROOM_STATE_MACHINE_ARN: z.string().optional(),
  /** The HTTP API's address, for the class pages' links in rosters; empty: rosters have none. */
  API_URL: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  /** The region the functions run in (Lambda sets it): where the class store is. */
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Who gets the nightly teardown's report; empty sends none (it is still logged and returned). */
  OPERATOR_EMAIL: z.union([z.literal(''), z.email()]).default(''),
  /** The SES identity the report is sent from; empty sends it from OPERATOR_EMAIL. */
  REPORT_SENDER: z.union([z.literal(''), z.email()]).default(''),
  /** The nightly teardown's function, which POST /teardown schedules to run at once. */
  TEARDOWN_FUNCTION_ARN: z.string().optional(),
  /** The role EventBridge Scheduler assumes to invoke the teardown, and nothing else. */
  TEARDOWN_SCHEDULE_ROLE_ARN: z.string().optional(),
  /** The teardown keeps this many newest available images per recipe, whatever their age. */
  TEARDOWN_KEEP_IMAGES: z.coerce.number().int().min(0).default(3),
  /** The teardown deletes images older than this many days that nothing else keeps. */
  TEARDOWN_IMAGE_RETENTION_DAYS: z.coerce.number().min(0).default(30),
});
export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

export function config(): Config {
  if (cached) return cached;
  try {
    cached = parseOrThrow(ConfigSchema, process.env, 'configuration');
  } catch (error) {
    if (error instanceof ValidationError) throw new ConfigError(error.message, { cause: error });
    throw error;
  }
  return cached;
}

/**
 * The stack's own region (Lambda's): where its class store, seat credentials, schedules and
 * email are. A class's instances, security group and Elastic IPs are in the class's region (its
 * plan's), which may be another: there the seats boot from the image's copy.
 */
export const stackRegion = () => config().AWS_REGION;

/** Where the class store is: the table and the deployment's region. */
export const classStore = () => ({ region: config().AWS_REGION, table: config().CLASSES_TABLE });

/** Forget the cached configuration (the local runner and tests change the environment). */
export function resetConfig(): void {
  cached = undefined;
}

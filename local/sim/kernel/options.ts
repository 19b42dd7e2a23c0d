/** The simulator's options and the faults a run may inject, as zod schemas with defaults. */
import * as z from 'zod';
import { parseOrThrow } from '../../../layers/base/validate';

const count = z.number().int().nonnegative();

export const CapacityFaultSchema = z.strictObject({
  az: z.string().min(1).optional(),
  instanceType: z.string().min(1).optional(),
  market: z.enum(['spot', 'on-demand']).optional(),
  /** How many matching RunInstances requests fail; every one when absent. */
  count: count.optional(),
  /**
   * Instances that can still be launched by a matching request (default 0): a request is then
   * filled up to this number, or refused when it is below MinCount.
   */
  available: count.optional(),
});
export type CapacityFault = z.infer<typeof CapacityFaultSchema>;

export const FaultsSchema = z.strictObject({
  capacity: z.array(CapacityFaultSchema).default([]),
  /** `RunInstances` or `EC2:RunInstances` → the next N calls are throttled. */
  throttle: z.record(z.string().min(1), count).default({}),
  agentNeverOnline: z.boolean().default(false),
  /** The agents of the next N instances launched or started never register. */
  agentsNeverOnline: count.default(0),
  commandFails: z
    .strictObject({ match: z.string().min(1).optional(), count: count.optional() })
    .optional(),
  /** Commands running a matching script run past their execution timeout (`TimedOut`). */
  commandTimesOut: z
    .strictObject({ match: z.string().min(1).optional(), count: count.optional() })
    .optional(),
  /**
   * Errors answered instead of calls, each rule with one counter over every call it matches:
   * `call` is `EC2:RunInstances`, `RunInstances`, `EC2:*` or `*`; the rule fires on every
   * `every`-th matching call (default each), `count` times (default without end). `kind` is
   * the service's own answer: `throttle` (RequestLimitExceeded, ThrottlingException, …),
   * `access-denied` (UnauthorizedOperation for EC2, AccessDeniedException elsewhere) or
   * `internal` (a 500).
   */
  errors: z
    .array(
      z.strictObject({
        call: z.string().regex(/^(\*|[A-Za-z0-9]+(:([A-Za-z]+|\*))?)$/),
        kind: z.enum(['throttle', 'access-denied', 'internal']),
        every: z.number().int().positive().optional(),
        count: count.optional(),
      }),
    )
    .default([]),
  /** The next N images made by CreateImage end in `failed`. */
  imageFails: count.default(0),
  /** The next N copies made by CopyImage end in `failed`. */
  copyFails: count.default(0),
  /** The next N seats answer as if configured with other credentials. */
  seatAuthBroken: z.strictObject({ count }).optional(),
  /** Running + pending vCPUs allowed before RunInstances answers VcpuLimitExceeded. */
  vcpuLimit: z.number().int().positive().optional(),
  /**
   * Elastic IPs allowed before AllocateAddress answers AddressLimitExceeded, and the quota
   * DescribeAccountAttributes tells (AWS's default: 5; without it, a raised quota of 10,000).
   */
  elasticIpLimit: count.optional(),
});
export type Faults = z.infer<typeof FaultsSchema>;

export const SimOptionsSchema = z.strictObject({
  /**
   * `scaled`: simulated time flows as wall time × `scale` (0 pauses it, so only `clock.advance`
   * moves it). `exact`: a discrete-event clock (kernel/event-clock.ts) that jumps from timer to
   * timer while nothing runs, waiting jump / `scale` wall seconds first (0: not at all).
   */
  clock: z.enum(['scaled', 'exact']).default('scaled'),
  /** Simulated seconds per wall second; 0 pauses time so only `clock.advance` moves it. */
  scale: z.number().nonnegative().default(600),
  seed: z.number().int().default(1),
  /** Simulated epoch ms at creation (default: the wall clock). */
  start: z.number().int().nonnegative().optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
    .default('us-east-1'),
  account: z
    .string()
    .regex(/^\d{12}$/)
    .default('123456789012'),
  throttling: z.boolean().default(true),
  outboxDir: z.string().min(1).default('outbox'),
  /**
   * IAM instance profiles the account has, by name: RunInstances refuses any other (none in a
   * fresh account). `startSimulation` (local/simulation.ts) adds the local stack's own.
   */
  instanceProfiles: z.array(z.string().min(1)).default([]),
  /** S3 buckets the account has (`startSimulation` adds the local stack's script bucket). */
  buckets: z.array(z.string().min(3).max(63)).default([]),
  /**
   * SES identities verified for sending (addresses, or domains that verify every address in
   * them): SendEmail refuses any other sender, in the sandbox or out of it.
   */
  sesIdentities: z.array(z.string().min(1)).default([]),
  /** The account's public Route 53 hosted zones (none in a fresh account), by id and domain. */
  hostedZones: z
    .array(z.strictObject({ id: z.string().regex(/^Z[A-Z0-9]{1,31}$/), name: z.string().min(1) }))
    .default([]),
  /** The SES sandbox: recipients must be verified too, and so may senders be (`verified`). */
  sesSandbox: z.strictObject({ verified: z.array(z.string().min(1)) }).optional(),
  /** Recipients per second; defaults to 14, or 1 in the sandbox (as AWS does). */
  sesMaxSendRate: z.number().positive().optional(),
  /**
   * Default Host Management Configuration: when on, the SSM agent registers even on instances
   * launched without an instance profile. Off, as in a fresh account.
   */
  defaultHostManagement: z.boolean().default(false),
  faults: FaultsSchema.default(() => FaultsSchema.parse({})),
});
export type SimOptions = z.input<typeof SimOptionsSchema>;
export type ResolvedSimOptions = z.infer<typeof SimOptionsSchema>;

export function resolveOptions(options: SimOptions = {}): ResolvedSimOptions {
  return parseOrThrow(SimOptionsSchema, options, 'simulator options');
}

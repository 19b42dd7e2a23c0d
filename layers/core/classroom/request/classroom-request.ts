// The POST /classrooms body: its schema, and how parsing normalises it into one seat list.
import * as z from 'zod';
import { parseOrThrow } from '../../../base/validate';
import { withRegion } from '../../default-region';
import { imageIn, MAX_COPY_REGIONS } from '../../image-copies';
import { normaliseCidr } from './cidr';
import { EmailAddressSchema, PersonNameSchema, StudentSchema } from './contacts';
import { DnsSchema } from './dns';
import {
  IdleMinutesSchema,
  isTimeZone,
  LeadMinutesSchema,
  RetainDaysSchema,
  type Session,
  SessionTimesSchema,
  scheduleSchema,
  sessionsOf,
} from './schedule';
import { seatIds } from './seat-ids';
import { TlsSchema } from './tls';

export const MAX_SEATS = 1000;
export const DEFAULT_JUPYTER_PORT = 8888;

export const SeatSchema = z.strictObject({
  seatId: z.string().regex(/^seat-\d{3,}$/),
  student: StudentSchema.nullable(),
});
export type Seat = z.infer<typeof SeatSchema>;

const RegionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region such as us-east-1');

export const PortSchema = z
  .number()
  .int('must be an integer')
  .refine((port) => port !== 22, { message: 'must not be 22: seats never open SSH', abort: true })
  .min(1024, 'must be at least 1024')
  .max(65535, 'must be at most 65535');

export const ImageIdSchema = z
  .string()
  .regex(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, 'must be an AMI id: ami- and 8 or 17 hex digits');

/** The result of a bake, passed on as it is. */
export const BakedImageSchema = z.strictObject({
  imageId: ImageIdSchema,
  imageName: z.string().min(3).max(128).optional(),
  recipeHash: z.string().min(1).max(128).optional(),
  region: RegionSchema.optional(),
  jupyterPort: PortSchema.optional(),
  /** The bake tested the image before returning it. */
  tested: z.boolean().optional(),
  /** The bake returned an earlier tested image of the same recipe. */
  reused: z.boolean().optional(),
  /** The image's copies in other regions: a class in one of them seats from that copy. */
  copies: z
    .array(z.strictObject({ region: RegionSchema, imageId: ImageIdSchema }))
    .max(MAX_COPY_REGIONS)
    .optional(),
});
export type BakedImage = z.infer<typeof BakedImageSchema>;

/**
 * An AMI id, or a bake result checked field by field, so a bad `image.jupyterPort` is reported
 * there rather than as a mismatch of the whole image.
 */
const ImageSchema = z.unknown().transform((value, ctx): string | BakedImage => {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (typeof value !== 'string' && !isObject) {
    ctx.addIssue({ code: 'custom', message: 'must be an AMI id or a bake result { imageId, … }' });
    return z.NEVER;
  }
  const result = (isObject ? BakedImageSchema : ImageIdSchema).safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue } as never);
  return z.NEVER;
});

const SubnetIdSchema = z
  .string()
  .regex(
    /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/,
    'must be a subnet id: subnet- and 8 or 17 hex digits',
  );

const InstanceTypeSchema = z
  .string()
  .max(32)
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, 'must be an EC2 instance type such as t3.medium');

/** Every later occurrence of a key already seen is reported at its own path. */
function reportDuplicates<T>(keyOf: (item: T) => string, field?: string) {
  return (items: T[], ctx: z.core.$RefinementCtx<T[]>) => {
    const firstSeen = new Map<string, number>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      const first = firstSeen.get(key);
      if (first === undefined) firstSeen.set(key, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: field ? [index, field] : [index],
          message: `duplicates entry [${first}]`,
        });
    });
  };
}

const CidrSchema = z.string().transform((text, ctx) => {
  const cidr = normaliseCidr(text);
  if (cidr) return cidr;
  ctx.addIssue({
    code: 'custom',
    message: 'must be an IPv4 or IPv6 CIDR block such as 203.0.113.0/24',
  });
  return z.NEVER;
});

/** Run a cross-field check only when the request is an object and those fields parsed cleanly. */
const untouched = (...keys: string[]) => ({
  when: (payload: z.core.ParsePayload) =>
    !payload.issues.some(
      (issue) =>
        (issue.code === 'invalid_type' && !issue.path?.length) ||
        keys.includes(String(issue.path?.[0])),
    ),
});

/**
 * A classroom request as the API receives it. Parsing normalises it: the image becomes an object,
 * CIDR blocks lose their host bits and duplicates, the Jupyter port is resolved, and `seats` /
 * `students` become one seat list.
 */
export function classroomRequestSchema(now?: Date) {
  return z
    .strictObject({
      name: z
        .string()
        .regex(/^[a-z][a-z0-9-]{2,39}$/, 'must be 3–40 of a-z, 0-9 and -, starting with a letter'),
      image: ImageSchema,
      region: RegionSchema.default('us-east-1').meta({
        description: "Where the seats run. Left out: the stack's own region.",
      }),
      instanceTypes: z
        .array(InstanceTypeSchema)
        .min(1, 'must name at least one instance type')
        .max(10)
        .superRefine(reportDuplicates((type) => type))
        .default(['t3.medium']),
      seats: z
        .number()
        .int('must be an integer')
        .min(1, 'must be at least 1: a classroom needs a seat')
        .max(MAX_SEATS, `must be at most ${MAX_SEATS}`)
        .optional(),
      students: z
        .array(StudentSchema)
        .min(1, 'must list at least one student')
        .max(MAX_SEATS, `must list at most ${MAX_SEATS} students`)
        .superRefine(reportDuplicates((student) => student.email.toLowerCase(), 'email'))
        .optional(),
      subnets: z
        .array(SubnetIdSchema)
        .max(20)
        .superRefine(reportDuplicates((subnet) => subnet))
        .default([]),
      allowedCidrs: z
        .array(CidrSchema)
        .min(1, 'must allow at least one CIDR block')
        .max(50, 'must list at most 50 CIDR blocks')
        .transform((cidrs) => [...new Set(cidrs)])
        .default(['0.0.0.0/0']),
      jupyterPort: PortSchema.optional(),
      tls: TlsSchema,
      /** A Route 53 zone to name the seats in; their certificates then name the seats. */
      dns: DnsSchema.optional(),
      /** Exactly one session; the same as `sessions` with one entry and `timezone`. */
      schedule: scheduleSchema(now).optional(),
      /** One or more sessions, in order, as wall-clock times in `timezone`. */
      sessions: z.array(SessionTimesSchema).min(1).max(30).optional(),
      timezone: z
        .string()
        .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
        .optional(),
      /** Seats start this long before each session. */
      leadMinutes: LeadMinutesSchema,
      /** Stopped seats (and the students' work) are kept this long after the last session. */
      retainDays: RetainDaysSchema,
      spot: z.boolean().default(false),
      /**
       * A seat with no kernel executing, no terminal in use and no browser request for this long
       * stops itself (it starts again with the next session); none by default.
       */
      idleMinutes: IdleMinutesSchema.optional(),
      instructor: z.strictObject({ name: PersonNameSchema.optional(), email: EmailAddressSchema }),
      sender: EmailAddressSchema,
      volumeGiB: z.number().int().min(8).max(1024).default(30),
      /** The most the class may cost for its whole life; a class estimated above it is refused. */
      budgetUSD: z.number().positive('must be more than 0').max(1_000_000).optional(),
      /** USD per instance-hour of the first instance type, for a type the price table lacks. */
      hourlyUSD: z.number().positive('must be more than 0').max(1000).optional(),
    })
    .superRefine(
      (request, ctx) => {
        if (request.seats === undefined && request.students === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['seats'],
            message: 'give seats (a count) or students (a list)',
          });
        }
        if (request.seats !== undefined && request.students !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['students'],
            message: 'give seats or students, not both',
          });
        }
      },
      untouched('seats', 'students'),
    )
    .superRefine(
      (request, ctx) => {
        const given = [request.schedule, request.sessions].filter(Boolean).length;
        if (given !== 1)
          ctx.addIssue({
            code: 'custom',
            path: ['sessions'],
            message:
              given === 0
                ? 'give sessions (with timezone) or schedule'
                : 'give sessions or schedule, not both',
          });
        if (request.sessions && !request.timezone)
          ctx.addIssue({
            code: 'custom',
            path: ['timezone'],
            message: 'must name the time zone of the sessions',
          });
        if (request.schedule && request.timezone)
          ctx.addIssue({
            code: 'custom',
            path: ['timezone'],
            message: 'goes with sessions; schedule has its own',
          });
      },
      untouched('schedule', 'sessions', 'timezone'),
    )
    .superRefine(
      (request, ctx) => {
        const { image } = request;
        if (typeof image === 'string' || image.region === undefined) return;
        if (imageIn(image, request.region) === undefined) {
          const copied = (image.copies ?? []).map((c) => c.region);
          ctx.addIssue({
            code: 'custom',
            path: ['image', 'region'],
            message: `must match region ${request.region}, or the image have a copy there${copied.length ? ` (it has in ${copied.join(', ')})` : ''}: an AMI is only usable in its own region`,
          });
        }
      },
      untouched('image', 'region'),
    )
    .superRefine(
      (request, ctx) => {
        if (request.dns && request.tls.mode !== 'acme')
          ctx.addIssue({
            code: 'custom',
            path: ['dns'],
            message: 'goes with tls acme: seat names exist for their certificates',
          });
      },
      untouched('dns', 'tls'),
    )
    .transform(
      ({ image, seats, students, jupyterPort, schedule, sessions, timezone, ...request }, ctx) => {
        const zone = schedule?.timezone ?? timezone ?? 'UTC';
        const times: Session[] | undefined = schedule
          ? [schedule]
          : sessionsOf(sessions ?? [], zone, now, ctx, ['sessions']);
        const first = times?.[0];
        const last = times?.at(-1);
        if (!times || !first || !last) return z.NEVER;
        const baked: BakedImage =
          typeof image === 'string' ? { imageId: image } : inRegion(image, request.region);
        const roster = students ?? null;
        const ids = seatIds(roster?.length ?? seats ?? 0);
        return {
          ...request,
          timezone: zone,
          sessions: times.map(({ start, end, startsAt, endsAt }) => ({
            start,
            end,
            startsAt,
            endsAt,
          })),
          /** From the start of the first session to the end of the last. */
          schedule: {
            start: first.start,
            end: last.end,
            timezone: zone,
            startsAt: first.startsAt,
            endsAt: last.endsAt,
          },
          image: baked,
          jupyterPort: jupyterPort ?? baked.jupyterPort ?? DEFAULT_JUPYTER_PORT,
          seats: ids.map((seatId, i): Seat => ({ seatId, student: roster?.[i] ?? null })),
        };
      },
    );
}

/** The bake result as seen from `region`: its copy there, when the class is in a copy's region. */
function inRegion(image: BakedImage, region: string): BakedImage {
  const imageId = imageIn(image, region);
  return imageId === undefined || imageId === image.imageId ? image : { ...image, imageId, region };
}

export const ClassroomRequestSchema = classroomRequestSchema();
export type ClassroomRequestInput = z.input<typeof ClassroomRequestSchema>;
export type ClassroomRequest = z.infer<typeof ClassroomRequestSchema>;

/**
 * Validate and normalise a request; a class that has already ended at `now` is refused too. A
 * request that names no `region` is seated in `defaults.region` when given (the stack's own),
 * else in us-east-1.
 */
export function parseClassroomRequest(
  input: unknown,
  now: Date,
  defaults: { region?: string } = {},
): ClassroomRequest {
  return parseOrThrow(
    classroomRequestSchema(now),
    withRegion(input, defaults.region),
    'classroom request',
  );
}

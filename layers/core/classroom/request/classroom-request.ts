import { z } from 'zod';
import { parseOrThrow } from '../../../base/validate';
import { seatIds } from '../plan/batches';
import { scheduleSchema } from './schedule';

export const MAX_SEATS = 1000;
export const DEFAULT_JUPYTER_PORT = 8888;

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`);

const hasControlCharacter = (text: string) =>
  [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });

/**
 * A dot-atom address (`name@example.org`): the RFC 5322 subset mail systems agree on. No spaces,
 * quotes or comments, and never CR/LF, so an address can go into a header without injecting one.
 */
export const EmailAddressSchema = z
  .string()
  .refine((text) => !/[\r\n]/.test(text), { message: 'must not contain line breaks', abort: true })
  .refine((text) => text.length <= 254 && text.indexOf('@') <= 64 && EMAIL.test(text), {
    message: 'must be an email address such as name@example.org',
  });

/** Any script is welcome (it is escaped where rendered); control characters are not. */
export const PersonNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((text) => [...text].length <= 100, 'must be at most 100 characters')
  .refine((text) => !hasControlCharacter(text), 'must not contain control characters');

export const StudentSchema = z.strictObject({ name: PersonNameSchema, email: EmailAddressSchema });
export type Student = z.infer<typeof StudentSchema>;

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
});
export type BakedImage = z.infer<typeof BakedImageSchema>;

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
      image: z.union([ImageIdSchema, BakedImageSchema], {
        error: 'must be an AMI id or a bake result { imageId, … }',
      }),
      region: RegionSchema.default('us-east-1'),
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
      schedule: scheduleSchema(now),
      spot: z.boolean().default(false),
      instructor: z.strictObject({ name: PersonNameSchema.optional(), email: EmailAddressSchema }),
      sender: EmailAddressSchema,
      volumeGiB: z.number().int().min(8).max(1024).default(30),
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
        const imageRegion = typeof request.image === 'string' ? undefined : request.image.region;
        if (imageRegion !== undefined && imageRegion !== request.region) {
          ctx.addIssue({
            code: 'custom',
            path: ['image', 'region'],
            message: `must match region ${request.region}: an AMI is only usable in its own region`,
          });
        }
      },
      untouched('image', 'region'),
    )
    .transform(({ image, seats, students, jupyterPort, ...request }) => {
      const baked: BakedImage = typeof image === 'string' ? { imageId: image } : image;
      const roster = students ?? null;
      const ids = seatIds(roster?.length ?? seats ?? 0);
      return {
        ...request,
        image: baked,
        jupyterPort: jupyterPort ?? baked.jupyterPort ?? DEFAULT_JUPYTER_PORT,
        seats: ids.map((seatId, i): Seat => ({ seatId, student: roster?.[i] ?? null })),
      };
    });
}

export const ClassroomRequestSchema = classroomRequestSchema();
export type ClassroomRequestInput = z.input<typeof ClassroomRequestSchema>;
export type ClassroomRequest = z.infer<typeof ClassroomRequestSchema>;

/** Validate and normalise a request; a class that has already ended at `now` is refused too. */
export function parseClassroomRequest(input: unknown, now: Date): ClassroomRequest {
  return parseOrThrow(classroomRequestSchema(now), input, 'classroom request');
}

/**
 * `10.1.2.3/8` → `10.0.0.0/8`, `2001:DB8:0:0::1/32` → `2001:db8::/32`, null when `text` is not a
 * CIDR block. Host bits are cleared, as EC2 does with security group rules; octets with leading
 * zeros are refused because some parsers read them as octal.
 */
export function normaliseCidr(text: string): string | null {
  const [address = '', prefixText, ...rest] = text.split('/');
  if (prefixText === undefined || rest.length > 0 || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) {
    return null;
  }
  const prefix = Number(prefixText);
  const v4 = parseIpv4(address);
  if (v4) return prefix <= 32 ? `${maskBits(v4, prefix, 8).join('.')}/${prefix}` : null;
  const v6 = parseIpv6(address);
  if (v6) return prefix <= 128 ? `${formatIpv6(maskBits(v6, prefix, 16))}/${prefix}` : null;
  return null;
}

function parseIpv4(text: string): number[] | null {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((octet) => /^(0|[1-9]\d{0,2})$/.test(octet)))
    return null;
  const values = octets.map(Number);
  return values.every((value) => value <= 255) ? values : null;
}

function parseHextets(text: string, ipv4Tail: boolean): number[] | null {
  if (text === '') return [];
  const pieces = text.split(':');
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (ipv4Tail && i === pieces.length - 1 && piece.includes('.')) {
      const octets = parseIpv4(piece);
      if (!octets) return null;
      const [a, b, c, d] = octets as [number, number, number, number];
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const [head = '', tail] = halves;
  if (tail === undefined) {
    const groups = parseHextets(head, true);
    return groups?.length === 8 ? groups : null;
  }
  const before = parseHextets(head, false);
  const after = parseHextets(tail, true);
  if (!before || !after || before.length + after.length > 7) return null;
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

function maskBits(parts: number[], prefix: number, width: number): number[] {
  return parts.map((part, i) => {
    const kept = Math.min(width, Math.max(0, prefix - i * width));
    return kept === 0 ? 0 : part & (((1 << kept) - 1) << (width - kept));
  });
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(groups: number[]): string {
  let best = { start: -1, length: 1 };
  let run = { start: -1, length: 0 };
  groups.forEach((group, i) => {
    run =
      group === 0
        ? { start: run.length ? run.start : i, length: run.length + 1 }
        : { start: -1, length: 0 };
    if (run.length > best.length) best = run;
  });
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

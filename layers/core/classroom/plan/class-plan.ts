// The class plan: what every step of a classroom knows about the class, decided once.
// Decided by PlanClassroom and carried in the state: no students (they travel with their batch)
// and no secrets.
import * as z from 'zod';
import type { ClassroomRequest } from '../request/classroom-request';
import { EmailAddressSchema, PersonNameSchema } from '../request/contacts';
import { classLabel, DnsSchema } from '../request/dns';
import { SessionSchema } from '../request/schedule';
import { AcmeDirectorySchema } from '../request/tls';
import { classParameterPath } from './parameter-paths';
import { type Placement, PlacementSchema } from './placement-order';

export const ClassPlanSchema = z.object({
  classId: z.string().min(1).max(80),
  name: z.string(),
  region: z.string(),
  imageId: z.string(),
  rootDeviceName: z.string(),
  port: z.number().int(),
  /** HTTPS through Caddy with a certificate from this ACME directory, or Jupyter's port in clear. */
  tls: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('acme'), directory: AcmeDirectorySchema }),
    z.object({ mode: z.literal('none') }),
  ]),
  /**
   * Elastic IPs the class holds, one per seat with TLS: the certificate and the emailed link name
   * the address, which must survive stop and start. Each is billed by the hour, also while the
   * seat is stopped.
   */
  elasticIps: z.number().int().min(0),
  /**
   * The Route 53 zone the seats are named in (`seat-007.<label>.<domain>`, an A record to the
   * seat's Elastic IP), when the class has one; the certificate and the link carry the name.
   */
  dns: DnsSchema.extend({ label: z.string() }).optional(),
  volumeGiB: z.number().int(),
  placements: z.array(PlacementSchema).min(1),
  allowedCidrs: z.array(z.string()).min(1),
  subnets: z.array(z.string()),
  schedule: z.object({
    start: z.string(),
    end: z.string(),
    timezone: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
  }),
  /** Each session's wall-clock times (in `schedule.timezone`) and instants, in order. */
  sessions: z.array(SessionSchema).min(1),
  leadMinutes: z.number().int().nonnegative(),
  retainDays: z.number().int().nonnegative(),
  /** A seat stops itself after this long without activity; 0: never. */
  idleMinutes: z.number().int().nonnegative().default(0),
  instructor: z.object({ name: PersonNameSchema.optional(), email: EmailAddressSchema }),
  sender: EmailAddressSchema,
  /** Parameter Store path under which this class's seat credentials live (SecureString). */
  parameterPath: z.string().startsWith('/'),
  stackName: z.string(),
});
export type ClassPlan = z.infer<typeof ClassPlanSchema>;

export function classPlan(
  request: ClassroomRequest,
  context: {
    classId: string;
    /** The image's root device and the size of its snapshot, which a seat's disk must not undercut. */
    rootDeviceName: string;
    rootVolumeGiB: number;
    parameterPrefix: string;
    stackName: string;
  },
  candidates: Placement[],
): ClassPlan {
  return {
    classId: context.classId,
    name: request.name,
    region: request.region,
    imageId: request.image.imageId,
    rootDeviceName: context.rootDeviceName,
    port: request.jupyterPort,
    tls: request.tls,
    elasticIps: request.tls.mode === 'acme' ? request.seats.length : 0,
    ...(request.dns
      ? { dns: { ...request.dns, label: classLabel(request.name, context.classId) } }
      : {}),
    volumeGiB: Math.max(request.volumeGiB, context.rootVolumeGiB),
    placements: candidates,
    allowedCidrs: request.allowedCidrs,
    subnets: request.subnets,
    schedule: request.schedule,
    sessions: request.sessions,
    leadMinutes: request.leadMinutes,
    retainDays: request.retainDays,
    idleMinutes: request.idleMinutes ?? 0,
    instructor: request.instructor,
    sender: request.sender,
    parameterPath: classParameterPath(context.parameterPrefix, context.classId),
    stackName: context.stackName,
  };
}
